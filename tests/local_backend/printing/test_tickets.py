"""Ticket layouts, checked by decoding the bytes with the tests' own decoder (not the product's simulator)."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image

from local_backend.printing.tickets import (
    Bill,
    BillLine,
    BillPayment,
    BillTax,
    KitchenTicket,
    PrinterProfile,
    TicketItem,
    TicketLabels,
    TicketMark,
    render_bill,
    render_kitchen_ticket,
    render_test_page,
)
from tests.support.escpos_decoder import EPSON_SLOTS, DecodedLine, UndecodableBytes, decode

CREATED = datetime(2026, 11, 21, 18, 15, tzinfo=UTC)  # 20:15 in Athens


def make_ticket(**overrides) -> KitchenTicket:
    values: dict[str, Any] = {
        "zone_name": "ΚΟΥΖΙΝΑ",
        "table_label": "12",
        "waiter_name": "Μαρία",
        "order_id": 1234,
        "created_at": CREATED,
        "mark": TicketMark.NEW,
        "items": [
            TicketItem(
                2,
                "Μουσακάς",
                options=["Extra φέτα"],
                removed=["Κρεμμύδι"],
                choices=["Μέτρια ψημένο"],
                note="χωρίς αλάτι",
                seat=3,
                course=2,
            ),
            TicketItem(1, "Χωριάτικη σαλάτα", seat=1, course=1),
            TicketItem(1, "Μπριζόλα χοιρινή", seat=1, course=2),
            TicketItem(3, "Τζατζίκι", course=1),
        ],
    }
    values.update(overrides)
    return KitchenTicket(**values)


def line_starting(lines: list[DecodedLine], prefix: str) -> DecodedLine:
    matches = [line for line in lines if line.text.strip().startswith(prefix)]
    assert matches, f"no line starts with {prefix!r}"
    return matches[0]


def position(texts: list[str], needle: str) -> int:
    return next(i for i, text in enumerate(texts) if needle in text)


class TestKitchenTicketBytes:
    def test_the_decoded_ticket_shows_the_greek_text(self):
        decoded = decode(render_kitchen_ticket(make_ticket(), tz="Europe/Athens").data)
        text = decoded.text
        for word in ("ΚΟΥΖΙΝΑ", "Μουσακάς", "Χωριάτικη σαλάτα", "Μαρία", "Κρεμμύδι"):
            assert word in text
        assert set(decoded.codecs) == {"cp737"}

    def test_it_starts_by_resetting_and_selecting_the_greek_page(self):
        assert render_kitchen_ticket(make_ticket()).data.startswith(b"\x1b@\x1bt\x1d")

    def test_it_ends_with_one_cut(self):
        decoded = decode(render_kitchen_ticket(make_ticket()).data)
        assert decoded.cuts == 1
        assert decoded.ends_with_cut

    def test_the_plain_lines_are_what_the_bytes_print(self):
        rendered = render_kitchen_ticket(make_ticket(), tz="Europe/Athens")
        assert rendered.lines == decode(rendered.data).text_lines

    def test_the_same_greek_without_the_page_switch_decodes_as_garbage(self):
        # Proves the decoder catches a missing ESC t: the printer would print box drawings, so must the test.
        data = render_kitchen_ticket(make_ticket()).data
        without_switch = data.replace(b"\x1bt\x1d", b"", 1)
        assert without_switch != data
        text = decode(without_switch).text
        assert "Μουσακάς" not in text
        assert "ΚΟΥΖΙΝΑ" not in text

    def test_epson_slot_numbering_is_not_greek_on_the_reference_printer(self):
        data = render_kitchen_ticket(make_ticket(), profile=PrinterProfile(slot=14)).data
        with pytest.raises(UndecodableBytes, match="ESC t 14"):
            decode(data)
        assert "Μουσακάς" in decode(data, EPSON_SLOTS).text


class TestKitchenTicketLayout:
    def test_items_are_grouped_by_course_then_seat(self):
        texts = render_kitchen_ticket(make_ticket()).lines
        course_1, course_2 = position(texts, "Course 1"), position(texts, "Course 2")
        assert course_1 < position(texts, "Τζατζίκι") < position(texts, "Χωριάτικη") < course_2
        # Within course 2, seat 1 comes before seat 3, each under its header.
        seat_1 = position(texts[course_2:], "Seat 1") + course_2
        seat_3 = position(texts[course_2:], "Seat 3") + course_2
        assert seat_1 < position(texts, "Μπριζόλα") < seat_3 < position(texts, "Μουσακάς")
        # The seatless τζατζίκι is shared by the table: it sits before any seat header of its course.
        assert position(texts, "Τζατζίκι") < position(texts[course_1:], "Seat 1") + course_1

    def test_course_headers_use_dashes_the_page_can_print(self):
        rendered = render_kitchen_ticket(make_ticket())
        assert "- Course 2 -" in [line.strip() for line in rendered.lines]
        assert "—" in rendered.replaced

    def test_modifiers_print_with_their_prefixes_and_removals_stand_out(self):
        lines = decode(render_kitchen_ticket(make_ticket()).data).lines
        assert line_starting(lines, "+ Extra φέτα").text.strip() == "+ Extra φέτα"
        assert line_starting(lines, "> Μέτρια ψημένο")
        no_line = line_starting(lines, "NO Κρεμμύδι")
        note_line = line_starting(lines, "! χωρίς αλάτι")
        assert no_line.bold
        assert note_line.bold

    def test_the_removal_prefix_is_localizable(self):
        labels = TicketLabels(removed_prefix="ΧΩΡΙΣ", course="Πιάτο", seat="Θέση", table="Τραπέζι")
        texts = [line.strip() for line in render_kitchen_ticket(make_ticket(), labels=labels).lines]
        assert "ΧΩΡΙΣ Κρεμμύδι" in texts
        assert "Τραπέζι 12" in texts
        assert "Θέση 3" in texts
        assert not any(text.startswith("NO ") for text in texts)

    def test_quantity_and_name_print_big(self):
        lines = decode(render_kitchen_ticket(make_ticket()).data).lines
        item = line_starting(lines, "2 x Μουσακάς")
        assert (item.width, item.height, item.bold) == (2, 2, True)

    def test_zone_mark_and_table_print_big_and_bold_at_the_top(self):
        lines = decode(render_kitchen_ticket(make_ticket(mark=TicketMark.ADDED)).data).lines
        zone, mark, table = lines[0], lines[1], lines[2]
        assert (zone.text, mark.text, table.text) == ("ΚΟΥΖΙΝΑ", "ADDED", "Table 12")
        assert all(line.width == 2 and line.height == 2 and line.bold for line in (zone, mark, table))

    def test_a_void_is_printed_reversed(self):
        lines = decode(render_kitchen_ticket(make_ticket(mark=TicketMark.VOID)).data).lines
        mark = line_starting(lines, "VOID")
        assert mark.reverse
        assert not any(line.reverse for line in lines if line is not mark)

    def test_a_reprint_says_so(self):
        texts = render_kitchen_ticket(make_ticket(mark=TicketMark.REPRINT)).lines
        assert texts[1] == "REPRINT"

    def test_a_backup_ticket_names_the_zone_it_stands_in_for(self):
        texts = render_kitchen_ticket(make_ticket(backup_of="Ψησταριά")).lines
        assert "BACKUP - for Ψησταριά" in texts
        assert "BACKUP" not in render_kitchen_ticket(make_ticket()).text

    def test_the_time_is_shown_in_the_site_timezone(self):
        texts = render_kitchen_ticket(make_ticket(), tz="Europe/Athens").lines
        assert "21/11/2026 20:15" in texts
        assert "21/11/2026 18:15" in render_kitchen_ticket(make_ticket(), tz="UTC").lines

    def test_a_naive_time_is_refused(self):
        with pytest.raises(ValueError, match="timezone"):
            render_kitchen_ticket(make_ticket(created_at=datetime(2026, 11, 21, 18, 15)))

    def test_waiter_and_order_share_a_line_at_both_edges(self):
        line = line_starting(decode(render_kitchen_ticket(make_ticket()).data).lines, "Waiter: Μαρία")
        assert line.text.endswith("Order #1234")
        assert len(line.text) == 48

    @pytest.mark.parametrize("columns", [48, 42, 32])
    def test_no_line_is_wider_than_the_paper(self, columns):
        long_name = "Μπιφτέκι γεμιστό με τυρί κασέρι, ντομάτα και πατάτες τηγανητές φρέσκες"
        items = [
            TicketItem(12, long_name, options=[long_name], removed=["Κρεμμύδι " * 12], note="ΑΛΛΕΡΓΙΑ " * 10, seat=2),
            TicketItem(1, "Υπερκαλιφραγκιλιστικεξπιαλιδοσιοςμακρύτατοόνομα"),
        ]
        ticket = make_ticket(items=items, zone_name="ΚΟΥΖΙΝΑ ΚΑΙ ΨΗΣΤΑΡΙΑ ΜΕ ΠΟΛΥ ΜΕΓΑΛΟ ΟΝΟΜΑ")
        decoded = decode(render_kitchen_ticket(ticket, profile=PrinterProfile(columns=columns)).data)
        assert decoded.lines
        assert max(line.columns for line in decoded.lines) <= columns

    def test_long_names_wrap_between_words_and_keep_every_word(self):
        name = "Μπιφτέκι γεμιστό με τυρί κασέρι ντομάτα και πατάτες τηγανητές"
        texts = render_kitchen_ticket(make_ticket(items=[TicketItem(2, name)])).lines
        start = position(texts, "2 x Μπιφτέκι")
        item_lines: list[str] = []
        for text in texts[start:]:
            if item_lines and not text.startswith("    "):
                break
            item_lines.append(text)
        assert len(item_lines) > 1
        assert " ".join(" ".join(item_lines).split()) == f"2 x {name}"
        assert all(word in name.split() or word in ("2", "x") for line in item_lines for word in line.split())

    def test_a_latin_printer_gets_a_readable_transliteration(self):
        rendered = render_kitchen_ticket(make_ticket(), profile=PrinterProfile(code_page="cp437"))
        decoded = decode(rendered.data)
        assert "2 x Mousakas" in decoded.text_lines
        assert "Μ" in rendered.replaced
        assert set(decoded.codecs) == {"cp437"}

    def test_the_footer_counts_the_portions(self):
        assert "Order #1234 - 7 items" in [line.strip() for line in render_kitchen_ticket(make_ticket()).lines]


def make_bill(**overrides) -> Bill:
    values: dict[str, Any] = {
        "restaurant_name": "Ταβέρνα Ο Νίκος",
        "table_label": "12",
        "waiter_name": "Μαρία",
        "order_id": 1234,
        "lines": [
            BillLine("Μουσακάς", 2, 1250, 2500, ["+ Extra φέτα"]),
            BillLine("Χωριάτικη σαλάτα", 1, 850, 850),
            BillLine("Έκπτωση", 1, -150, -150),
        ],
        "subtotal": 3200,
        "taxes": [BillTax("ΦΠΑ 13% (incl.)", 368)],
        "service_charge": 200,
        "total": 3400,
        "due": 1400,
        "payments": [BillPayment("Μετρητά", 2000, tip=100)],
        "created_at": CREATED,
        "footer": "Ευχαριστούμε! Thank you!",
    }
    values.update(overrides)
    return Bill(**values)


class TestBill:
    def test_amounts_are_right_aligned_at_the_paper_edge(self):
        decoded = decode(render_bill(make_bill()).data)
        amount_lines = [line for line in decoded.lines if line.text.endswith(" EUR") and "@" not in line.text]
        assert len(amount_lines) >= 8
        assert all(line.columns == 48 for line in amount_lines)
        texts = [line.text for line in amount_lines]
        assert texts[0] == "2 x Μουσακάς" + " " * 27 + "25.00 EUR"

    def test_money_comes_from_minor_units(self):
        texts = render_bill(make_bill()).lines
        for label, amount in (("Subtotal", "32.00"), ("Service", "2.00"), ("Μετρητά", "20.00"), ("Due", "14.00")):
            line = next(text for text in texts if text.startswith(label))
            assert line.endswith(f"{amount} EUR")
        assert any(text.startswith("1 x Έκπτωση") and text.endswith("-1.50 EUR") for text in texts)
        assert "    @ 12.50 EUR" in texts

    def test_the_total_is_big_bold_and_still_flush_right(self):
        total = line_starting(decode(render_bill(make_bill()).data).lines, "TOTAL")
        assert (total.width, total.height, total.bold) == (2, 2, True)
        assert total.text.endswith("34.00 EUR")
        assert total.columns == 48

    def test_tips_and_taxes_are_listed(self):
        texts = render_bill(make_bill()).lines
        assert any(text.startswith("  Tip") and text.endswith("1.00 EUR") for text in texts)
        assert any(text.startswith("ΦΠΑ 13% (incl.)") and text.endswith("3.68 EUR") for text in texts)

    def test_a_bill_and_a_receipt_say_which_they_are(self):
        assert "BILL" in render_bill(make_bill()).lines
        receipt = render_bill(make_bill(is_receipt=True)).lines
        assert "RECEIPT" in receipt
        assert "BILL" not in receipt

    def test_a_pre_check_without_payments_has_no_due_line(self):
        texts = render_bill(make_bill(payments=[], due=3400)).lines
        assert not any(text.startswith("Due") for text in texts)

    def test_other_currencies_print_what_the_page_can(self):
        texts = render_bill(make_bill(currency="INR")).lines
        assert any(text.startswith("Subtotal") and text.endswith("32.00 Rs") for text in texts)

    @pytest.mark.parametrize(("currency", "subtotal", "unit"), [("JPY", "3200", "1250"), ("KWD", "3.200", "1.250")])
    def test_amounts_have_the_decimals_of_the_currency(self, currency, subtotal, unit):
        texts = render_bill(make_bill(currency=currency)).lines
        assert any(text.startswith("Subtotal") and text.endswith(f" {subtotal} {currency}") for text in texts)
        assert f"    @ {unit} {currency}" in texts

    def test_a_logo_prints_as_a_raster_no_wider_than_the_paper(self):
        logo = Image.new("RGB", (900, 300), "black")
        decoded = decode(render_bill(make_bill(logo=logo)).data)
        assert decoded.images == [(576, 192)]
        assert decoded.text_lines[0] == "Ταβέρνα Ο Νίκος"

    def test_the_bill_ends_with_the_footer_and_a_cut(self):
        decoded = decode(render_bill(make_bill()).data)
        assert decoded.text_lines[-1].strip() == "Ευχαριστούμε! Thank you!"
        assert decoded.ends_with_cut


class TestTestPage:
    def test_it_names_the_printer_page_and_slot_with_a_ruler_and_greek(self):
        rendered = render_test_page("Κουζίνα 1", tz="Europe/Athens")
        decoded = decode(rendered.data)
        texts = decoded.text_lines
        assert "Κουζίνα 1" in [text.strip() for text in texts]
        assert "Code page: cp737 (ESC t 29)" in texts
        assert "123456789012345678901234567890123456789012345678" in texts
        assert "Καλημέρα! Ελληνικά: ΑΒΓΔΕΖΗΘ αβγδεζηθ άέήίόύώ ϊϋ" in decoded.text
        assert "EUR" in decoded.text
        assert decoded.ends_with_cut

    def test_the_page_table_shows_the_upper_half_of_the_selected_code_page(self):
        texts = decode(render_test_page("bar").data).text_lines
        assert "80: ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠ" in texts
        assert "E0: ωάέήϊίόύϋώΆΈΉΊΌΎ" in texts

    def test_a_configured_slot_is_the_one_printed_and_sent(self):
        rendered = render_test_page("bar", profile=PrinterProfile(code_page="cp737", slot=14, columns=32))
        assert rendered.data.startswith(b"\x1b@\x1bt\x0e")
        texts = decode(rendered.data, EPSON_SLOTS).text_lines
        assert "Code page: cp737 (ESC t 14)" in texts
        assert "12345678901234567890123456789012" in texts
