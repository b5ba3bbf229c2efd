"""One module per screen: home, briefing, call, debrief, history, settings and dialogs."""
