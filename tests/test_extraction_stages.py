"""Each extraction stage on ordinary news prose: names, coreference, speakers, disputes."""

import pytest

from claims.ingest.extraction import Gazetteer, extract
from claims.ingest.mentions import find_names
from claims.ingest.reading import article_from_text
from claims.ingest.writer import ingest_article
from claims.models import Actor, Claim, Evidence

NEWS = (
    "Blair under fire\n"
    "Conservative leader Michael Howard accused the government of misleading voters. "
    '"The prime minister has lost the trust of the people," Mr Howard said. '
    '"He must now explain why."\n'
    "Downing Street denied the claims.\n"
    'Prime Minister Tony Blair told MPs that he stood by his decision. "I reject that '
    'entirely," Mr Blair said.\n'
    "The Confederation of British Industry (CBI) warned that the economy would slow. "
    "The CBI's director general, Digby Jones, said firms were worried.\n"
    '"We will cut taxes," said Mr Howard.\n'
    "The weather in Leeds was mild on Tuesday and the shops were busy all day.\n"
)


def extracted(text=NEWS):
    return extract(text, Gazetteer.build({}))


def names(text):
    return {(n.text, n.kind, n.name) for n in find_names(text, 0, len(text))}


def claim_by(result, text, start_of_passage):
    for claim in result.claims:
        if text[claim.support[0] : claim.support[1]].startswith(start_of_passage):
            return claim
    raise AssertionError(f"no claim starting {start_of_passage!r}")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr Blair left.", ("Mr Blair", "person", "Blair")),
        ("Lord Falconer spoke.", ("Lord Falconer", "person", "Lord Falconer")),
        ("Baroness Scotland spoke.", ("Baroness Scotland", "person", "Baroness Scotland")),
        ("Home Secretary Charles Clarke spoke.", ("Charles Clarke", "person", "Charles Clarke")),
        ("The Ministry of Defence spoke.", ("Ministry of Defence", "government_body", None)),
        ("The Metropolitan Police spoke.", ("Metropolitan Police", "government_body", None)),
        ("Shares in Tesco plc fell.", ("Tesco plc", "organization", None)),
        ("The Bank of England held rates.", ("Bank of England", "organization", None)),
        ("Moscow warned Kyiv.", ("Moscow", "state", None)),
        ("The Chinese government denied it.", ("Chinese government", "state", None)),
    ],
)
def test_names_get_their_kind_from_their_words(text, expected):
    surface, kind, name = expected
    assert (surface, kind, name or surface) in names(text)


def test_capitals_and_demonyms_stand_for_their_state():
    (moscow,) = find_names("Moscow said no.", 0, 15)
    assert moscow.state == "Russia"
    (beijing,) = find_names("The Chinese government said no.", 0, 31)
    assert beijing.state == "China"


def test_title_and_surname_and_acronym_merge_into_one_actor_with_every_form():
    found = extracted().candidates
    howard = found["new:michael howard"]
    assert howard.kind == "person" and set(howard.aliases) >= {"Mr Howard"}
    assert "Mr Blair" in found["new:tony blair"].aliases
    assert found["new:confederation of british industry"].aliases == ("CBI",)
    assert found["new:downing street"].kind == "government_body"


def test_speaker_after_the_quote_and_a_multi_sentence_quote_are_one_claim():
    result = extracted()
    claim = claim_by(result, NEWS, '"The prime minister has lost')
    assert claim.claimant == "new:michael howard" and claim.rule == "quote"
    assert NEWS[claim.support[0] : claim.support[1]].endswith('"He must now explain why."')
    assert 0.5 < claim.confidence <= 1


def test_inverted_tags_and_quoted_commitments_are_kept():
    claim = claim_by(extracted(), NEWS, '"We will cut taxes,"')
    assert claim.claimant == "new:michael howard"


def test_the_subject_is_taken_past_an_appositive_and_a_name_in_apposition_is_taken():
    result = extracted()
    assert claim_by(result, NEWS, "The CBI's director").claimant == "new:digby jones"
    text = "Michael Howard, who met Tony Blair on Monday, said the vote was lost.\n"
    (claim,) = extracted(text).claims
    assert claim.claimant == "new:michael howard"


def test_names_inside_a_quote_never_speak_it():
    text = '"Tony Blair and Gordon Brown are wrong about taxes," Ms Jones said.\n'
    (claim,) = extracted(text).claims
    assert claim.claimant == "new:ms jones"


def test_pronouns_follow_the_last_speaker_of_their_gender():
    text = (
        "Labour leader Ed Miliband attacked the budget on Monday.\n"
        'Mrs Thatcher was not mentioned. "It is a disaster," he said.\n'
    )
    claim = claim_by(extracted(text), text, '"It is a disaster,"')
    assert claim.claimant == "new:ed miliband"


def test_a_denial_disputes_the_earlier_accusation_with_the_denier():
    result = extracted()
    accusation = claim_by(result, NEWS, '"The prime minister has lost')
    disputers = {actor for _, actors in accusation.disputes for actor in actors}
    assert {"new:downing street", "new:tony blair"} <= disputers
    denial = claim_by(result, NEWS, "Downing Street denied")
    assert denial.kind == "denial" and denial.claimant == "new:downing street"


def test_narrative_sentences_of_a_news_article_are_not_claims():
    result = extracted()
    assert not any(
        NEWS[c.support[0] : c.support[1]].startswith("The weather") for c in result.claims
    )
    assert all(c.claimant is not None for c in result.claims)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        '""""“”“ ” ‘’',
        "He said. She said. It said. They said: “",
        "<script>alert('x')</script> said Mr <b>Blair</b>.",
        '=HYPERLINK("http://x") said the company. "Yes," it said.',
        "Mr Mr Mr Lord Lady Sir of of the and And said said said " * 50,
    ],
)
def test_odd_text_gives_proposals_or_none_but_never_fails(text):
    result = extracted(text)
    for claim in result.claims:
        assert 0 <= claim.support[0] < claim.support[1] <= len(text)


@pytest.mark.django_db
def test_ingested_forms_become_aliases_so_the_next_article_finds_the_actor():
    ingest_article(article_from_text(NEWS, name="first.txt"))
    howard = Actor.objects.get(name="Michael Howard")
    assert not howard.reviewed
    assert {"Mr Howard"} <= set(howard.aliases.values_list("name", flat=True))
    later = "Tory leader speaks\nMr Howard said on Friday that taxes would be cut next year.\n"
    result = ingest_article(article_from_text(later, name="later.txt"))
    claim = Claim.objects.get(evidence__passage__source=result.source)
    assert claim.claimant == howard
    assert Actor.objects.filter(name__contains="Howard").count() == 1
    assert 0 < claim.extraction_confidence <= 1


@pytest.mark.django_db
def test_ingested_denial_is_disputing_evidence_with_its_actor():
    ingest_article(article_from_text(NEWS, name="news.txt"))
    disputing = Evidence.objects.filter(stance=Evidence.Stance.DISPUTES)
    assert disputing.exists()
    denier_names = {a.name for e in disputing for a in e.actors.all()}
    assert "Downing Street" in denier_names
    assert Claim.objects.disputed().filter(claimant__name="Michael Howard").exists()


def test_a_bare_spokesman_speaks_for_the_body_that_spoke_last_and_dismissal_disputes():
    text = (
        'Michael Howard said the government had "lost control" of the borders on Monday.\n'
        'But Downing Street dismissed the attack as "opportunism". A spokesman said the number '
        "of claims had fallen by two-thirds.\n"
        "The Liberal Democrats said both parties were playing politics with the issue.\n"
    )
    result = extracted(text)
    spokesman = claim_by(result, text, "A spokesman said")
    assert spokesman.claimant == "new:downing street" and spokesman.confidence < 0.7
    attack = claim_by(result, text, "Michael Howard said")
    assert [actors for _, actors in attack.disputes] == [("new:downing street",)]
    assert result.candidates["new:liberal democrats"].kind == "organization"


def test_clauses_with_different_speakers_are_two_claims_and_generic_plurals_name_nobody():
    text = (
        "Israel accused Hamas on Sunday of blocking a deal, while the militant group said "
        "Israeli demands made an agreement impossible.\n"
        'Hamas official Osama Hamdan rejected the accusation. "It is Netanyahu who is '
        'sabotaging the talks," he told reporters.\n'
        "Witnesses said several buildings were destroyed in the overnight raids.\n"
    )
    result = extracted(text)
    accusation = claim_by(result, text, "Israel accused Hamas")
    assert accusation.claimant == "new:israel" and accusation.kind == "allegation"
    assert [actors for _, actors in accusation.disputes] == [("new:osama hamdan",)]
    assert claim_by(result, text, "while the militant group").claimant == "new:hamas"
    # The name inside the quote is not who "he" is.
    assert claim_by(result, text, '"It is Netanyahu').claimant == "new:osama hamdan"
    assert "new:witnesses" not in result.candidates


@pytest.mark.django_db
def test_a_denial_in_a_later_article_disputes_the_matching_earlier_claim():
    first = (
        "Union attacks supermarket\n"
        "The GMB union accused Tesco of squeezing farmers and suppliers on prices.\n"
        "Tesco shares rose on Monday after the results were published in London.\n"
    )
    later = (
        "Tesco answers critics\n"
        "Tesco denied that it was squeezing farmers or suppliers, saying it paid fair prices.\n"
    )
    ingest_article(article_from_text(first, name="first.txt"))
    accusation = Claim.objects.get(statement__startswith="The GMB union accused")
    result = ingest_article(article_from_text(later, name="later.txt"))
    (disputing,) = accusation.evidence.filter(stance=Evidence.Stance.DISPUTES)
    assert disputing.passage.source == result.source
    assert [a.name for a in disputing.actors.all()] == ["Tesco"]
    assert result.counts["disputes of earlier claims"] == 1


@pytest.mark.django_db
def test_a_published_claim_is_not_disputed_by_extraction():
    ingest_article(
        article_from_text(
            "Union attacks supermarket\nThe GMB union accused Tesco of squeezing farmers and "
            "suppliers on prices.\nTesco shares rose on Monday in London.\n",
            name="first.txt",
        )
    )
    Claim.objects.filter(statement__startswith="The GMB").update(status=Claim.Status.PUBLISHED)
    ingest_article(
        article_from_text(
            "Reply\nTesco denied that it was squeezing farmers or suppliers on prices.\n",
            name="later.txt",
        )
    )
    assert not Claim.objects.published().disputed().exists()


def test_a_place_that_acts_speaks_and_a_denial_of_a_fact_disputes_nothing_by_default():
    text = (
        "Senate passes spending bill\n"
        "The US Senate passed the bill on Saturday, averting a shutdown of the government.\n"
        "The White House welcomed the vote.\n"
        "Mr Johnson denied that he had broken his promise to cut spending.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "The White House welcomed").claimant == "new:white house"
    assert result.candidates["new:senate"].aliases == ("US Senate",)
    # "denied that …" states its own content; it points back at no earlier claim.
    assert not any(c.disputes for c in result.claims)


def test_apposition_names_a_body_and_numbers_are_not_apposition_commas():
    text = (
        "Unions and employers\n"
        "The UK's biggest union, Amicus, said manufacturing jobs were still being lost.\n"
        "The CBI, which represents 150,000 firms, warned that rising taxes were hurting "
        "investment.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "The UK's biggest union").claimant == "new:amicus"
    assert claim_by(result, text, "The CBI, which").claimant == "new:cbi"


def test_reports_and_rulings_speak_as_sources():
    text = (
        "Inquiry reports\n"
        'The Hutton report found that the government had not "sexed up" the dossier.\n'
        "A report by the National Audit Office found that the project was £2bn over budget.\n"
        "At the High Court, Mr Justice Eady ruled that the newspaper had invaded her privacy.\n"
        "Royal Mail said deliveries would resume, and National Amusements Inc said it agreed.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "The Hutton report").claimant == "new:hutton report"
    assert claim_by(result, text, "A report by").claimant == "new:national audit office"
    assert claim_by(result, text, "At the High Court").claimant == "new:mr justice eady"
    assert {c.kind for c in result.candidates.values() if "Amusements" in c.name} == {
        "organization"
    }


def test_quotes_framed_by_reported_speech_and_objects_of_told_do_not_speak():
    text = (
        "Sheriff's statement\n"
        "Steve Whitmore, a representative for the sheriff, told LA Weekly on Friday that the "
        "case was closed. Whitmore told the paper that Montalvo "
        '"walked into the station and turned himself in", and told the police, "everything".\n'
        'The report says that while officials favour reform, "there are equally strong '
        'pressures being exerted to halt all such moves."\n'
    )
    result = extracted(text)
    framed = claim_by(result, text, "Whitmore told the paper")
    assert framed.claimant == "new:steve whitmore"
    assert "new:la weekly" not in {c.claimant for c in result.claims}


def test_according_to_names_the_person_in_its_noun_phrase_or_apposition():
    text = (
        "Robotics team\n"
        "According to Afghan Ambassador to the United States Hamdullah Mohib, the girls were "
        "refused visas twice.\n"
        "According to the team's coach, Alireza Mehraban, the robot won its first match.\n"
        "Paris claims she was sent to the ship when she was eighteen years old.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "According to Afghan").claimant == "new:hamdullah mohib"
    assert claim_by(result, text, "According to the team").claimant == "new:alireza mehraban"


def test_single_curly_quotes_are_quotes_and_apostrophes_inside_them_are_not_ends():
    text = (
        "Leak inquiry\n"
        "Mr Blair’s spokesman said ‘we don’t comment on leaks, and we won’t start now’, adding "
        "that the Prime Minister’s position was clear.\n"
    )
    (claim,) = extracted(text).claims
    assert claim.claimant == "new:mr blair"
    assert text[slice(*claim.support)].endswith("we won’t start now’")


def test_a_capitals_word_makes_a_company_name_and_a_statement_speaks_for_its_issuer():
    text = (
        "Gold stakes\n"
        "Consolidated TVX said it will acquire 29 pct of CMP, a public gold mining company.\n"
        "A statement issued by AB Investor said the deal raised its stake to 49.4 pct.\n"
        "The statement said the board had approved the purchase last week in Stockholm.\n"
    )
    result = extracted(text)
    assert result.candidates["new:consolidated tvx"].kind == "organization"
    assert claim_by(result, text, "Consolidated TVX said").claimant == "new:consolidated tvx"
    assert claim_by(result, text, "The statement said").claimant == "new:ab investor"


def test_a_headline_surname_is_not_a_body_and_a_named_union_speaks():
    text = (
        "Howard attacks Blair\n"
        "Tory leader Michael Howard has accused Tony Blair of losing control of the borders.\n"
        "Mr Howard told a rally in Manchester that the government had no idea of the numbers.\n"
        "The GMB union accused Tesco of squeezing suppliers on prices this year.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "Mr Howard told").claimant == "new:michael howard"
    assert "new:howard" not in result.candidates
    assert claim_by(result, text, "The GMB union").claimant == "new:gmb"


def test_party_singular_and_plural_merge_and_numbered_bodies_speak():
    text = (
        "Tories pledge tax cuts\n"
        "The Tories have promised to cut taxes by £4bn if they win the general election.\n"
        "But Number 10 said the Tory plans did not add up, and BBC Radio 4 reported it.\n"
    )
    result = extracted(text)
    assert "Tory" in result.candidates["new:tories"].aliases
    assert claim_by(result, text, "But Number 10 said").claimant == "new:number 10"


def test_an_acronym_before_its_name_and_an_inverted_role_with_a_name_resolve():
    text = (
        "BA cuts 600 jobs\n"
        "British Airways is to cut 600 jobs in a bid to save money, the airline has said.\n"
        '"This is a kick in the teeth for loyal staff," said the union\'s national secretary, '
        "Brendan Gold.\n"
        "BA denied that safety would be affected by the cuts in any way.\n"
    )
    result = extracted(text)
    assert result.candidates["new:british airways"].aliases == ("BA",)
    assert claim_by(result, text, '"This is a kick').claimant == "new:brendan gold"
    assert claim_by(result, text, "BA denied").claimant == "new:british airways"


def test_a_quote_that_runs_on_into_the_next_paragraph_is_one_claim():
    text = (
        "Plant to close\n"
        '"We regret this outcome, but the union is to blame," the company Acme Motors said.\n'
        '"We will build the new model somewhere else."\n'
        'Professor Ann Lee said, "In the worst case the plant closes this year.\n'
        '"A second possibility is a sale," she said.\n'
    )
    result = extracted(text)
    acme = claim_by(result, text, '"We regret this outcome')
    assert text[acme.support[0] : acme.support[1]].endswith('somewhere else."')
    lee = claim_by(result, text, "Professor Ann Lee said")
    assert text[lee.support[0] : lee.support[1]].endswith('a sale,"')
    assert lee.claimant == "new:ann lee" and len(result.claims) == 2


@pytest.mark.parametrize(
    "text, person",
    [
        ("Secretary of State George Shultz spoke.", "George Shultz"),
        ("Chancellor of the Exchequer Nigel Lawson spoke.", "Nigel Lawson"),
        ("Acting Turkish Prime Minister Kaya Erdem spoke.", "Kaya Erdem"),
        ("Greek Foreign Affairs Undersecretary Yannis Kapsis spoke.", "Yannis Kapsis"),
    ],
)
def test_an_office_and_a_nationality_before_a_name_are_its_title(text, person):
    assert (person, "person", person) in names(text)


def test_papers_named_by_what_they_are_speak_and_seas_and_party_members_do_not():
    assert ("Business Day", "media", "Business Day") in names("the Business Day newspaper said")
    assert ("Sunday Mail", "media", "Sunday Mail") in names("The Sunday Mail called it wrong.")
    assert ("Business Day", "organization", "Business Day") in names("Business Day said so.")
    assert not names("They sailed into the Aegean Sea.")
    assert not names("the Kansas Republican said")
    assert names("Communist China warned.") == {("China", "state", "China")}


def test_the_person_quoted_as_saying_speaks_and_a_vague_subject_names_nobody():
    text = (
        "Talks in Washington\n"
        "Central bank head Wladyslaw Baka met officials in Washington.\n"
        '"The talks showed a lot of understanding for our position," the agency PAP quoted '
        "Baka as saying.\n"
        "One senior strategist said he believed the talks would fail.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, '"The talks showed').claimant == "new:wladyslaw baka"
    vague = [c for c in result.claims if text[c.support[0] :].startswith("One senior")]
    assert all(c.claimant is None for c in vague)


def test_the_report_speaks_for_the_body_whose_report_was_named():
    text = (
        "Findings on the arms affair\n"
        "Criticism had been muted until the release of the Tower Commission report.\n"
        '"They were not energetic in protecting the president," the report said.\n'
    )
    claim = claim_by(extracted(text), text, '"They were not energetic')
    assert claim.claimant == "new:tower commission"


def test_a_reply_to_a_warning_disputes_the_warning_and_a_rejoinder_the_claim_before():
    text = (
        "Aegean row\n"
        "Greece, responding to a warning by Turkey against drilling in disputed waters, said "
        "it had the right to decide where to drill.\n"
        "The Steelworkers Union said the collapse of the talks with the company was not final.\n"
        "But Acme Motors said the collapse of the talks meant the plant would close.\n"
    )
    result = extracted(text)
    warning = claim_by(result, text, "a warning by Turkey")
    assert warning.claimant == "new:turkey"
    assert {a for _, actors in warning.disputes for a in actors} == {"new:greece"}
    union = claim_by(result, text, "The Steelworkers Union said")
    assert {a for _, actors in union.disputes for a in actors} == {"new:acme motors"}


def test_speaking_in_someones_defence_disputes_the_claims_against_them():
    text = (
        "Trial of the parents\n"
        'Prosecutor Mark Tedeschi told the court that "both parents knew how ill the baby was '
        'and did nothing about it."\n'
        "Speaking in the parents' defence, barrister Tom Molomby said they should be found "
        "not guilty.\n"
    )
    result = extracted(text)
    accusation = claim_by(result, text, "Prosecutor Mark Tedeschi told")
    assert {a for _, actors in accusation.disputes for a in actors} == {"new:tom molomby"}


def test_a_person_of_a_body_speaks_and_a_surname_that_is_a_word_still_names_him():
    text = (
        "Fraud charges\n"
        "Analyst Rosemarie Morbelli of Ingalls and Snyder said the bid was too low.\n"
        "Power company attorney Ron English said regulators would recommend charges.\n"
        "English, in a telephone interview, said the SEC staff planned to allege that the "
        "company had understated the cost of its plants.\n"
        "English denied the allegations.\n"
        "The Treasury spokesman pointed out that the talks had been requested.\n"
    )
    result = extracted(text)
    assert claim_by(result, text, "Analyst Rosemarie").claimant == "new:rosemarie morbelli"
    assert claim_by(result, text, "English denied").claimant == "new:ron english"
    accusation = claim_by(result, text, "the company had understated")
    assert accusation.claimant == "new:sec" and accusation.rule == "dispute"
    assert {a for _, actors in accusation.disputes for a in actors} == {"new:ron english"}
    assert claim_by(result, text, "The Treasury spokesman").claimant == "new:treasury"


def test_narration_after_a_claim_passives_and_capitalized_verbs_are_not_claims():
    text = (
        "Team reaches final\n"
        "Coach Ann Lee said the team had trained for a year for the final round.\n"
        "The company did not give figures for the cost of the trip abroad.\n"
        "They were twice denied visas to travel to the competition.\n"
        "Officials in the United States later let the team in.\n"
    )
    result = extracted(text)
    said = [text[c.support[0] : c.support[1]] for c in result.claims if c.claimant]
    assert said == ["Coach Ann Lee said the team had trained for a year for the final round."]
