"""Tests for safeguard_check.load.encoding."""

from __future__ import annotations

import codecs
import pickle

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safeguard_check.load.encoding import Decoded, DecodeError, decode_bytes

SAMPLE = "委託先: 株式会社サンプル\n期間: 令和2年5月25日\n"


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- supported encodings ---------------------------------------------------------------------------


def test_utf8_without_bom() -> None:
    assert decode_bytes(SAMPLE.encode("utf-8")) == Decoded(SAMPLE, "utf-8")


def test_utf8_with_bom_strips_bom() -> None:
    result = decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert result == Decoded(SAMPLE, "utf-8-sig")
    assert not result.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_utf16_with_bom(bom: bytes, codec: str, name: str) -> None:
    result = decode_bytes(bom + SAMPLE.encode(codec))
    assert result == Decoded(SAMPLE, name)


def test_utf16_crlf_is_normalised() -> None:
    data = codecs.BOM_UTF16_LE + "a\r\nb\rc".encode("utf-16-le")
    assert decode_bytes(data).text == "a\nb\nc"


def test_shift_jis() -> None:
    data = SAMPLE.encode("shift_jis")
    assert decode_bytes(data) == Decoded(SAMPLE, "cp932")


@pytest.mark.parametrize(
    "text",
    ["①②③", "髙橋", "﨑", "NEC特殊文字: ㈱ № ㍉ ㌔ Ⅰ", "委託先: 株式会社①髙﨑\n"],
)
def test_cp932_only_characters(text: str) -> None:
    data = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("shift_jis")  # precondition: plain Shift_JIS would not do
    assert decode_bytes(data) == Decoded(text, "cp932")


def test_cp932_backslash_is_not_yen() -> None:
    # Python's cp932 maps 0x5C to a backslash, which YAML escape sequences need.
    assert decode_bytes("パス: C:\\\\共有\n".encode("cp932")).text == "パス: C:\\\\共有\n"


def test_crlf_and_cr_are_normalised() -> None:
    assert decode_bytes(b"a\r\nb\rc\n\r\n").text == "a\nb\nc\n\n"
    assert decode_bytes("一\r\n二\r".encode("cp932")).text == "一\n二\n"


def test_empty_input_is_empty_utf8() -> None:
    assert decode_bytes(b"") == Decoded("", "utf-8")
    assert decode_bytes(codecs.BOM_UTF8) == Decoded("", "utf-8-sig")


def test_ambiguous_short_bytes_prefer_utf8() -> None:
    # "ﾃｩ" in CP932 is C3 A9, which is also UTF-8 "é": the documented rule picks UTF-8.
    data = "ﾃｩ".encode("cp932")
    assert data == b"\xc3\xa9"
    assert decode_bytes(data) == Decoded("é", "utf-8")


# --- errors ----------------------------------------------------------------------------------------


def test_nul_byte_is_binary() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"abc\ndef\x00ghi")
    err = info.value
    assert err.key == "decode.binary"
    assert (err.line, err.column) == (2, 4)
    assert "offset 7" in err.detail


def test_nul_byte_in_cp932_file_column_counts_characters() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes("東京".encode("cp932") + b"\x00")
    assert (info.value.key, info.value.line, info.value.column) == ("decode.binary", 1, 3)


def test_nul_after_utf8_bom_is_binary() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF8 + b"ab\x00")
    assert (info.value.key, info.value.line, info.value.column) == ("decode.binary", 1, 3)


def test_bomless_utf16_is_binary() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes("abc".encode("utf-16-le"))
    assert info.value.key == "decode.binary"


def test_nul_character_in_utf16_is_binary() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF16_LE + "ab\ncd\x00".encode("utf-16-le"))
    assert (info.value.key, info.value.line, info.value.column) == ("decode.binary", 2, 3)


def test_truncated_utf16_is_undecodable() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"c")
    assert (info.value.key, info.value.line, info.value.column) == ("decode.undecodable", 1, 3)


def test_invalid_in_both_is_undecodable_with_position() -> None:
    data = b"name: ok\nnote: caf\xe9\n"  # Latin-1 "café": E9 then a newline is neither UTF-8 nor CP932
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    err = info.value
    assert err.key == "decode.undecodable"
    assert (err.line, err.column) == (2, 10)
    assert err.detail == "byte 0xE9 at offset 18"


def test_column_counts_characters_not_bytes() -> None:
    data = "名前: caf".encode() + b"\xe9\n"
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert (info.value.line, info.value.column) == (1, 8)


def test_position_counts_crlf_and_cr_as_one_line_break() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"a\r\nb\rc\n\xe9\n")
    assert (info.value.line, info.value.column) == (4, 1)


def test_utf8_then_shift_jis_is_mixed() -> None:
    data = "名前: 山田太郎\n".encode() + "住所: 東京都千代田区\n".encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp932")  # precondition: the whole file is not CP932 either
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    err = info.value
    assert err.key == "decode.mixed"
    assert (err.line, err.column) == (2, 1)
    assert "offset 21" in err.detail


def test_shift_jis_pasted_inside_a_utf8_line_is_mixed() -> None:
    data = "担当: 佐藤".encode() + " 太郎\n".encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp932")  # precondition (see the module docstring for UTF-8 that is also CP932)
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert (info.value.key, info.value.line, info.value.column) == ("decode.mixed", 1, 8)


def test_utf8_bom_then_shift_jis_is_mixed() -> None:
    data = codecs.BOM_UTF8 + b"name: x\n" + "東京\n".encode("cp932")
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert (info.value.key, info.value.line, info.value.column) == ("decode.mixed", 2, 1)


@pytest.mark.parametrize(("utf8_part", "key"), [("あ", "decode.undecodable"), ("あいう", "decode.mixed")])
def test_mixed_needs_two_utf8_characters_before_the_failure(utf8_part: str, key: str) -> None:
    # In both files the failing line is valid CP932 and the file as a whole is not; one non-ASCII
    # character is too little evidence that the file was meant to be UTF-8.
    data = f"note: {utf8_part}\n".encode() + "東京\n".encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp932")
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert (info.value.key, info.value.line, info.value.column) == (key, 2, 1)


def test_ascii_then_garbage_is_not_mixed() -> None:
    data = b"name: x\n" + b"\x82\x0a"
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.key == "decode.undecodable"


def test_utf8_then_garbage_that_is_not_cp932_is_undecodable() -> None:
    data = "名前: 山田\n".encode() + b"\xe9\n"
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.key == "decode.undecodable"


def test_decode_error_pickles_and_formats() -> None:
    err = DecodeError("decode.undecodable", 2, 10, "byte 0xE9 at offset 18")
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.key, clone.line, clone.column, clone.detail) == (err.key, 2, 10, err.detail)
    assert str(err) == "decode.undecodable: byte 0xE9 at offset 18 (line 2, column 10)"


# --- properties ------------------------------------------------------------------------------------

# NUL is binary by definition and surrogates cannot be encoded; everything else must survive.
_any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@given(_any_text)
def test_utf8_round_trip(text: str) -> None:
    result = decode_bytes(text.encode("utf-8"))
    if text.startswith("\ufeff"):
        # Indistinguishable from a BOM: a leading U+FEFF in BOM-less UTF-8 is read as one.
        assert result == Decoded(_newlines(text[1:]), "utf-8-sig")
    else:
        assert result == Decoded(_newlines(text), "utf-8")


@given(_any_text)
def test_utf8_sig_round_trip(text: str) -> None:
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == Decoded(_newlines(text), "utf-8-sig")


@given(_any_text, st.sampled_from([(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]))
def test_utf16_round_trip(text: str, bom_codec: tuple[bytes, str]) -> None:
    bom, codec = bom_codec
    assert decode_bytes(bom + text.encode(codec)) == Decoded(_newlines(text), codec)


@given(_any_text)
def test_python_utf16_codec_output_round_trips(text: str) -> None:
    # "utf-16" writes a BOM in native byte order, as Windows tools do.
    assert decode_bytes(text.encode("utf-16")).text == _newlines(text)


def _cp932_round_trippable() -> list[str]:
    chars = []
    for code in range(1, 0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            if ch.encode("cp932").decode("cp932") == ch:
                chars.append(ch)
        except UnicodeError:
            continue
    return chars


_CP932_CHARS = _cp932_round_trippable()
_JAPANESE = [ch for ch in _CP932_CHARS if "\u3041" <= ch <= "\u30fe" or "\u4e00" <= ch <= "\u9fff"]
_cp932_text = st.text(alphabet=st.sampled_from(_CP932_CHARS))


@given(_cp932_text, st.sampled_from(_JAPANESE), _cp932_text)
def test_cp932_round_trip(before: str, japanese: str, after: str) -> None:
    text = before + japanese + after
    data = text.encode("cp932")
    # The documented preference: bytes that are strictly valid UTF-8 are read as UTF-8.
    assume(not _is_utf8(data))
    assert decode_bytes(data) == Decoded(_newlines(text), "cp932")


def test_cp932_alphabet_is_substantial() -> None:
    # Guards the property test above against an accidentally tiny alphabet.
    assert len(_CP932_CHARS) > 7000
    assert {"①", "髙", "﨑", "あ", "ｱ", "\n", "\r"} <= set(_CP932_CHARS)
