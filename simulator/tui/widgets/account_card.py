"""The account card: parties, invoices, terms, reminder history (full or compact)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from simulator.tui.i18n import date, money, t, tr
from simulator.tui.widgets.scenario_panel import ScenarioPanel

if TYPE_CHECKING:
    from simulator.dialogue.model import Scenario


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    return grid


class AccountCard(ScenarioPanel):
    """Renders ``scenario.account`` (and, compact, the margins of the brief)."""

    DEFAULT_CSS = "AccountCard { height: auto; }"

    def __init__(
        self, scenario: Scenario | None = None, *, compact: bool = False, id: str | None = None
    ) -> None:
        super().__init__(scenario, id=id)
        self.compact = compact

    def render_scenario(self, scenario: Scenario) -> RenderableType:
        return self._compact() if self.compact else self._full()

    def _full(self) -> RenderableType:
        a = self.scenario.account  # type: ignore[union-attr]
        grid = _grid()
        grid.add_row(t("account.creditor"), a.creditor.name)
        debtor = Text(a.debtor.name)
        if a.debtor.siren:
            debtor.append(f" · SIREN {a.debtor.siren}", "dim")
        debtor.append(f" · {t(f'segment.{a.segment}')}", "dim")
        grid.add_row(t("account.debtor"), debtor)
        if a.debtor.address:
            grid.add_row("", Text(a.debtor.address, "dim"))
        contact = ", ".join(x for x in (a.contact.name, a.contact.role) if x)
        extra = " · ".join(x for x in (a.contact.phone, a.contact.email) if x)
        grid.add_row(
            t("account.contact"), Text.assemble(contact, (f" · {extra}" if extra else "", "dim"))
        )

        invoices = Table(box=None, padding=(0, 1), expand=True, show_edge=False, header_style="dim")
        invoices.add_column(t("account.number"), no_wrap=True)
        invoices.add_column(t("account.due"), no_wrap=True)
        invoices.add_column(t("account.amount"), justify="right", no_wrap=True)
        invoices.add_column(t("account.status"))
        for inv in a.invoices:
            status = tr("invoice_status", inv.status)
            if inv.paid:
                status += f" ({t('account.paid')} {money(inv.paid, inv.currency)})"
            invoices.add_row(
                inv.number,
                date(inv.due),
                money(inv.amount, inv.currency),
                Text(status, "red" if inv.status == "overdue" else ""),
            )
        total = Text(money(a.total_outstanding, a.currency), "bold")
        parts: list[RenderableType] = [
            grid,
            Text(""),
            Text(t("account.invoices"), "bold underline"),
            invoices,
            Text.assemble((t("account.total") + " ", "bold"), total),
            Text(""),
        ]
        terms = _grid()
        terms.add_row(t("account.terms"), a.payment_terms)
        parts.append(terms)
        if a.reminders:
            parts += [Text(""), Text(t("account.reminders"), "bold underline")]
            rem = _grid()
            for r in a.reminders:
                rem.add_row(
                    Text(f"{date(r.date)} · {tr('channel', r.channel)}", "not bold cyan"),
                    r.content,
                )
            parts.append(rem)
        if a.notes:
            parts += [Text(""), Text(t("account.notes"), "bold underline")]
            parts += [Text(f"• {note}") for note in a.notes]
        return Group(*parts)

    def _compact(self) -> RenderableType:
        s = self.scenario
        assert s is not None
        a, m = s.account, s.brief.margins
        lines: list[RenderableType] = [Text(a.debtor.name, "bold")]
        contact = ", ".join(x for x in (a.contact.name, a.contact.role) if x)
        lines.append(Text(contact, "dim"))
        for inv in a.invoices:
            lines.append(
                Text.assemble(
                    (inv.number, "bold"),
                    " ",
                    money(inv.outstanding, inv.currency),
                    (f"\n  {t('account.due_short')} {date(inv.due)}", "dim"),
                )
            )
        lines.append(
            Text.assemble(
                (t("account.total") + " ", "bold"), money(a.total_outstanding, a.currency)
            )
        )
        if a.reminders:
            last = a.reminders[-1]
            lines.append(
                Text(
                    t("account.reminders_short", n=len(a.reminders), last=date(last.date)),
                    "dim",
                )
            )
        lines.append(Text(""))
        lines.append(Text(t("brief.margins"), "bold underline"))
        if m.min_first_payment is not None:
            lines.append(Text(t("brief.min_first", amount=money(m.min_first_payment, a.currency))))
        lines.append(Text(t("brief.max_instalments", n=m.max_instalments)))
        if m.latest_date is not None:
            lines.append(Text(t("brief.latest", date=date(m.latest_date))))
        return Group(*lines)
