"""Random speed meetings for hypothesis: up to 60 young people, 15 pros and 10 rounds,
1 to 3 seats a table, a few companies and sectors, and wishes skewed towards the first
pros, as real wishes crowd on a few popular employers."""

from hypothesis import strategies as st

from eventdays.planning.speed_meeting import Pro, SpeedMeeting, YoungPerson

SECTORS = ("bâtiment", "commerce", "santé", "transport")


def popular(pro_count):
    """A pro index, the first ones far likelier: the square of a uniform draw."""
    return st.integers(0, pro_count - 1).map(lambda drawn: drawn * drawn // pro_count)


@st.composite
def speed_meetings(draw, max_young=60, max_pros=15, max_rounds=10):
    pro_count = draw(st.integers(1, max_pros))
    companies = draw(st.integers(1, pro_count))
    pros = tuple(
        Pro(
            f"pro-{index}",
            company=draw(st.none() | st.integers(0, companies - 1).map("company-{}".format)),
            sector=draw(st.sampled_from(SECTORS)),
            seats=draw(st.integers(1, 3)),
        )
        for index in range(pro_count)
    )
    young_people = tuple(
        YoungPerson(
            f"young-{index}",
            wished_pros=tuple(
                f"pro-{wish}"
                for wish in draw(st.lists(popular(pro_count), max_size=3, unique=True))
            ),
            wished_sectors=tuple(draw(st.lists(st.sampled_from(SECTORS), max_size=1))),
        )
        for index in range(draw(st.integers(1, max_young)))
    )
    return SpeedMeeting(pros, young_people, draw(st.integers(1, max_rounds)))
