"""Tokenised text (Penn Treebank style, as in Timeline17) read as printed, in our own words."""

from __future__ import annotations

from storyline.models import RawDoc
from storyline.stages.clean.article import clean
from storyline.stages.clean.tokenised import looks_tokenised, untokenise


def test_treebank_tokens_and_spaces_are_put_back_as_written() -> None:
    assert untokenise("He said `` no '' -LRB- twice -RRB- on May 3 , 2010 .") == (
        'He said "no" (twice) on May 3, 2010.'
    )
    assert untokenise("Orrin 's mayor do n't , ca n't") == "Orrin's mayor don't, can't"
    assert untokenise("Tests were ` not conclusive ' , the players ' union said") == (
        "Tests were 'not conclusive', the players' union said"
    )
    assert untokenise("It rose 5 % to $ 9 in the U.S. . Then") == (
        "It rose 5% to $9 in the U.S. Then"
    )
    assert untokenise("Dallas\\/Fort Worth") == "Dallas/Fort Worth"


def test_a_page_is_tokenised_when_its_commas_and_stops_stand_apart() -> None:
    assert looks_tokenised("The mayor , Jo Hale , spoke on Monday . Crowds came .")
    assert looks_tokenised("-LRB- Wire -RRB- Rain")
    assert not looks_tokenised("The mayor, Jo Hale, spoke on Monday. Crowds came.")
    # French spacing before ; : ! ? is not a tokeniser's
    assert not looks_tokenised("Il a dit : non, pas encore. Pourquoi ? Parce que, dit-il, rien.")
    assert not looks_tokenised("Rain .")  # too few marks to tell


def test_clean_reads_a_tokenised_page_as_printed_and_says_so() -> None:
    raw = (
        "Nikos Pappas 's doctor , Dr Ada Reyes , said on August 29 , 2009 that tests were "
        "` not conclusive ' .\n"
        "The family did n't comment -LRB- a spokesman said -RRB- .\n"
    )
    article = clean(RawDoc(ref="t.jsonl:1", text=raw))
    assert article.text == (
        "Nikos Pappas's doctor, Dr Ada Reyes, said on August 29, 2009 that tests were "
        "'not conclusive'.\n\nThe family didn't comment (a spokesman said)."
    )
    assert article.meta["untokenised"] is True
    plain = clean(RawDoc(ref="p.txt", text="The mayor, Jo Hale, spoke. Crowds came, then left."))
    assert "untokenised" not in plain.meta


def test_the_treebank_pound_sign_is_a_pound_sign_again() -> None:
    assert untokenise("aid rose to # 20m -LRB- $ 32m -RRB- , tweet #1 stays") == (
        "aid rose to £20m ($32m), tweet #1 stays"
    )
