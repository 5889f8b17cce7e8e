"""ESC/POS foundations: code pages, transliteration that never drops text silently, the builder's bytes, status."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from local_backend.printing.escpos import (
    CODE_PAGES,
    DLE_EOT_ERROR_CAUSE,
    DLE_EOT_OFFLINE_CAUSE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    PrinterStatus,
    TicketBuilder,
    UnknownCodePage,
    code_page,
    encode_text,
    parse_dle_eot,
    parse_gs_r1,
    transliterate,
    wrap_text,
)
from tests.support.escpos_decoder import decode

GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρσςτυφχψω άέήίόύώ ϊϋ ΆΈΉΊΌΎΏ ΪΫ"


class TestCodePageRegistry:
    @pytest.mark.parametrize(
        ("name", "slot"),
        [("cp437", 0), ("cp737", 29), ("cp850", 2), ("cp852", 18), ("cp858", 19), ("cp866", 17), ("cp1252", 16)],
    )
    def test_each_page_has_its_default_slot(self, name, slot):
        assert code_page(name).slot == slot
        assert code_page(name).codec == name

    def test_cp1253_defaults_to_epsons_wpc1253_slot(self):
        assert code_page("cp1253").slot == 47

    def test_common_spellings_find_the_page(self):
        assert code_page("PC737") is CODE_PAGES["cp737"]
        assert code_page("windows-1253") is CODE_PAGES["cp1253"]
        assert code_page("ISO-8859-7").codec == "iso8859_7"

    def test_an_unknown_page_is_an_error(self):
        with pytest.raises(UnknownCodePage):
            code_page("cp9999")


class TestEncodeText:
    def test_greek_round_trips_through_cp737_one_byte_per_letter(self):
        data, replaced = encode_text(GREEK, "cp737")
        assert replaced == []
        assert len(data) == len(GREEK)
        assert data.decode("cp737") == GREEK

    def test_the_euro_sign_becomes_eur_and_is_reported(self):
        data, replaced = encode_text("Σύνολο 12.50 €", "cp737")
        assert data.decode("cp737") == "Σύνολο 12.50 EUR"
        assert replaced == ["€"]

    def test_a_page_that_has_the_euro_keeps_it(self):
        assert encode_text("5 €", "cp1253") == (b"5 \x80", [])
        assert encode_text("5 €", "cp858") == ("5 €".encode("cp858"), [])

    @pytest.mark.parametrize(
        ("char", "printed"),
        [
            ("–", "-"),
            ("—", "-"),
            ("“", '"'),
            ("”", '"'),
            ("„", '"'),
            ("‘", "'"),
            ("’", "'"),
            ("…", "..."),
            ("ΐ", "ϊ"),
            ("ΰ", "ϋ"),
        ],
    )
    def test_the_table_replaces_what_cp737_lacks(self, char, printed):
        data, replaced = encode_text(f"a{char}b", "cp737")
        assert data.decode("cp737") == f"a{printed}b"
        assert replaced == [char]

    def test_accents_the_page_lacks_are_stripped(self):
        data, replaced = encode_text("Crème brûlée", "cp737")
        assert data.decode("cp737") == "Creme brulee"
        assert sorted(replaced) == sorted(["è", "û", "é"])

    def test_a_character_with_no_fallback_prints_a_question_mark_and_is_reported(self):
        data, replaced = encode_text("Pizza 🍕 漢", "cp737")
        assert data == b"Pizza ? ?"
        assert replaced == ["🍕", "漢"]

    def test_greek_on_a_latin_page_goes_all_latin_not_half_greek(self):
        # CP437 has Σ, π and a few other Greek letters: keeping them would print "Σalata".
        printable, replaced = transliterate("Σαλάτα ΘΑΛΑΣΣΑ Θάλασσα", "cp437")
        assert printable == "Salata THALASSA Thalassa"
        assert "Σ" in replaced

    def test_control_characters_cannot_smuggle_printer_commands(self):
        data, replaced = encode_text("no\x1b@salt\x1dV\x00!", "cp737")
        assert all(byte >= 0x20 for byte in data)
        assert "\x1b" in replaced
        assert "\x1d" in replaced

    @given(text=st.text(max_size=40), page=st.sampled_from(sorted(CODE_PAGES)))
    def test_nothing_is_ever_dropped_silently(self, text, page):
        codec = CODE_PAGES[page].codec
        printable, replaced = transliterate(text, codec)
        printable.encode(codec)  # always encodable
        missing = {char for char in text if char not in printable}
        assert missing <= set(replaced)
        assert set(replaced) <= set(text)


class TestWrapText:
    def test_wraps_on_words_within_the_width(self):
        lines = wrap_text("Χωριάτικη σαλάτα με φέτα και ελιές Καλαμών", 16)
        assert lines == ["Χωριάτικη σαλάτα", "με φέτα και", "ελιές Καλαμών"]

    def test_continuation_lines_are_indented_and_still_fit(self):
        lines = wrap_text("2 x Μπιφτέκι γεμιστό με τυρί και πατάτες", 20, indent=4)
        assert all(len(line) <= 20 for line in lines)
        assert all(line.startswith("    ") for line in lines[1:])
        assert " ".join(" ".join(lines).split()) == "2 x Μπιφτέκι γεμιστό με τυρί και πατάτες"

    def test_a_word_longer_than_the_line_is_split_between_characters(self):
        assert wrap_text("Αααααααααα", 4) == ["Αααα", "αααα", "αα"]


class TestTicketBuilder:
    def test_init_resets_then_selects_the_page_every_time(self):
        data = TicketBuilder("cp737").init().text("α").init().text("β").build()
        assert data == b"\x1b@\x1bt\x1d" + "α\n".encode("cp737") + b"\x1b@\x1bt\x1d" + "β\n".encode("cp737")

    def test_a_configured_slot_overrides_the_default(self):
        assert TicketBuilder("cp737", slot=14).init().build() == b"\x1b@\x1bt\x0e"

    def test_a_slot_out_of_range_is_refused(self):
        with pytest.raises(ValueError, match="slot"):
            TicketBuilder("cp737", slot=256)

    def test_style_commands_are_the_epson_bytes(self):
        b = TicketBuilder("cp437")
        b.bold().bold(False).double().double(False).align("center").reverse().feed(3).cut()
        assert (
            b.build()
            == (b"\x1bE\x01" + b"\x1bE\x00" + b"\x1d!\x11" + b"\x1d!\x00" + b"\x1ba\x01" + b"\x1dB\x01" + b"\x1bd\x03")
            + b"\x1dVB\x00"
        )

    def test_double_width_halves_the_characters_per_line(self):
        b = TicketBuilder(columns=48).init().double().text("Μ" * 30)
        decoded = decode(b.build())
        assert [len(line.text) for line in decoded.lines] == [24, 6]
        assert all(line.columns <= 48 for line in decoded.lines)

    def test_row_puts_the_right_text_flush_with_the_edge(self):
        b = TicketBuilder(columns=48).row("Σύνολο", "12.50 €")
        assert b.lines == ["Σύνολο" + " " * 33 + "12.50 EUR"]
        assert len(b.lines[0]) == 48

    def test_text_is_encoded_with_the_page_and_remembered_as_printed(self):
        b = TicketBuilder("cp737").text("Καφές 2 €")
        assert b.build() == "Καφές 2 EUR\n".encode("cp737")
        assert b.lines == ["Καφές 2 EUR"]
        assert b.replaced == ["€"]


def _raster(data: bytes) -> list[tuple[int, int, bytes]]:
    """(bytes per row, rows, payload) of every GS v 0 band in `data`."""
    bands = []
    index = data.find(b"\x1dv0")
    while index >= 0:
        row_bytes = data[index + 4] | data[index + 5] << 8
        rows = data[index + 6] | data[index + 7] << 8
        payload = data[index + 8 : index + 8 + row_bytes * rows]
        bands.append((row_bytes, rows, payload))
        index = data.find(b"\x1dv0", index + 8 + row_bytes * rows)
    return bands


class TestRasterImage:
    def test_a_wide_image_is_scaled_to_the_paper_and_black_is_ink(self):
        bands = _raster(TicketBuilder(dots=576).image(Image.new("L", (1000, 100), 0)).build())
        assert [(row_bytes, rows) for row_bytes, rows, _ in bands] == [(72, 58)]
        assert set(bands[0][2]) == {0xFF}

    def test_white_prints_nothing(self):
        bands = _raster(TicketBuilder().image(Image.new("RGB", (64, 8), "white")).build())
        assert set(bands[0][2]) == {0x00}

    def test_a_width_that_is_not_whole_bytes_is_padded_with_blank_paper(self):
        bands = _raster(TicketBuilder().image(Image.new("1", (10, 1), 0)).build())
        assert bands == [(2, 1, bytes([0xFF, 0b1100_0000]))]

    def test_gray_is_dithered_to_a_mix_of_dots(self):
        [(_, _, payload)] = _raster(TicketBuilder().image(Image.new("L", (64, 64), 128)).build())
        ink = sum(bin(byte).count("1") for byte in payload)
        assert 0.35 < ink / (64 * 64) < 0.65

    def test_transparent_pixels_are_paper(self):
        bands = _raster(TicketBuilder().image(Image.new("RGBA", (8, 2), (0, 0, 0, 0))).build())
        assert bands == [(1, 2, b"\x00\x00")]

    def test_a_tall_image_goes_in_bands(self):
        bands = _raster(TicketBuilder().image(Image.new("L", (16, 600), 0)).build())
        assert [rows for _, rows, _ in bands] == [256, 256, 88]

    def test_the_test_decoder_skips_raster_bytes_by_their_size(self):
        # Noise produces payload bytes equal to LF and ESC: they must not be read as text or commands.
        noise = Image.frombytes("L", (64, 64), bytes((i * 37) % 256 for i in range(64 * 64)))
        data = TicketBuilder().init().image(noise).text("Τέλος").cut().build()
        decoded = decode(data)
        assert decoded.images == [(64, 64)]
        assert decoded.text_lines == ["Τέλος"]


class TestStatusQueries:
    def test_query_bytes(self):
        assert DLE_EOT_PRINTER == b"\x10\x04\x01"
        assert DLE_EOT_OFFLINE_CAUSE == b"\x10\x04\x02"
        assert DLE_EOT_ERROR_CAUSE == b"\x10\x04\x03"
        assert DLE_EOT_PAPER == b"\x10\x04\x04"
        assert GS_R_PAPER == b"\x1d\x72\x01"

    def test_printer_status_bit_3_means_offline(self):
        assert parse_dle_eot(1, 0x12).online is True
        assert parse_dle_eot(1, 0x16).online is True  # bit 2 is the drawer pin, not a fault
        assert parse_dle_eot(1, 0x1A).online is False

    def test_offline_cause_reports_cover_paper_end_and_error(self):
        assert parse_dle_eot(2, 0x12) == PrinterStatus(cover_open=False, paper_out=False, error=False)
        assert parse_dle_eot(2, 0x16).cover_open is True
        assert parse_dle_eot(2, 0x32).paper_out is True
        assert parse_dle_eot(2, 0x52).error is True

    def test_paper_sensor_reports_near_end_and_end(self):
        assert parse_dle_eot(4, 0x12) == PrinterStatus(paper_near_end=False, paper_out=False)
        assert parse_dle_eot(4, 0x1E) == PrinterStatus(paper_near_end=True, paper_out=False)
        assert parse_dle_eot(4, 0x72).paper_out is True
        assert parse_dle_eot(4, 0x7E) == PrinterStatus(paper_near_end=True, paper_out=True)

    def test_a_byte_without_the_fixed_bits_is_not_a_status(self):
        for byte in (0x00, 0x10, 0x02, 0x93, 0xFF):
            with pytest.raises(ValueError, match="status"):
                parse_dle_eot(1, byte)
        with pytest.raises(ValueError, match="DLE EOT 7"):
            parse_dle_eot(7, 0x12)

    def test_gs_r_1_reports_paper_and_that_the_printer_processed_it(self):
        assert parse_gs_r1(0x00) == PrinterStatus(online=True, paper_near_end=False, paper_out=False)
        assert parse_gs_r1(0x03).paper_near_end is True
        assert parse_gs_r1(0x0C).paper_out is True
        with pytest.raises(ValueError, match="GS r 1"):
            parse_gs_r1(0x12)  # a DLE EOT answer, not a GS r one

    def test_answers_combine_and_say_whether_printing_can_go_on(self):
        status = parse_dle_eot(1, 0x12).merged(parse_dle_eot(4, 0x1E))
        assert status == PrinterStatus(online=True, paper_near_end=True, paper_out=False)
        assert status.can_print
        assert not status.merged(parse_dle_eot(2, 0x32)).can_print
        assert not parse_dle_eot(1, 0x1A).can_print
