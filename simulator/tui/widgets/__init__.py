"""One module per widget. Widgets render what they are given and post messages up."""
