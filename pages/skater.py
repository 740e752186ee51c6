"""Skater: every race, points per cup and rank history of one skater (or team)."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from standings.present import charts, event, skaters, views
from standings.present.selection import shown
from ui import cache, render, state
from ui.shell import ensure_shell

ensure_shell()

_FOLLOWED = "rs_skater_followed"  # the skater whose gender the sidebar last followed

view = state.view()
season = cache.season(view.circuit, view.season)
people = cache.competitors(view.circuit, view.season)
labels = dict(zip(people["competitor"], people["label"], strict=True))
overall = f"{view.gender}-overall"
ranked = season.rules.rankings_available and any(cup.cup_id == overall for cup in season.cups)
default = cache.leaderboard(view.circuit, view.season, overall, view.after) if ranked else None
first = default["competitor"].iloc[0] if default is not None and not default.empty else people["competitor"].iloc[0]

st.title("Skater")
state.show_notices()
query = st.text_input(
    "Search a skater or team",
    key="skater_query",
    placeholder="Any part of a name, any accents or order: zurek, min jeong, dubois steven, KOR",
)
found = skaters.find_competitors(people, query)
if found.empty:
    st.warning(f"No skater or team matches `{shown(query)}`; showing everyone.", icon=":material/search_off:")
    found = people
competitor = state.select(
    "Skater or team" if query else "Pick a skater or team",
    found["competitor"].tolist(),
    key="skater_pick",
    param="skater",
    default=first if first in set(found["competitor"]) else found["competitor"].iloc[0],
    format_func=labels.__getitem__,
    persist_state="session",
)
# The sidebar follows the skater: Jordan STOLZ is shown with Men, not under Women. Once per skater
# shown, so that a reader who then picks the other gender is not sent back (a mixed relay team, in
# no one gender, leaves the sidebar as it is).
gender = skaters.competitor_gender(season, competitor)
if st.session_state.get(_FOLLOWED) != competitor:
    st.session_state[_FOLLOWED] = competitor
    state.follow("gender", gender or "", options=("women", "men"))
person = people.set_index("competitor").loc[competitor]
profile = cache.skater(view.circuit, view.season, competitor, view.after)
as_of = views.as_of_label(season, view.after)
st.header(render.plain(str(person["name"])))
races_in = f" · {gender.title()}" if gender else ""
st.caption(render.plain(f"Nation: {person['nation']}{races_in} · {season.rules.name} {season.label} · {as_of}"))

races = profile["races"]
if races.empty:
    st.info(render.plain(f"No race {views.up_to_label(season, view.after)}."))
    state.publish(skater=competitor)
    st.stop()
short_track = season.rules.short_track
for column, (label, value) in zip(st.columns(3), skaters.skater_metrics(races, season.rules).items(), strict=True):
    column.metric(label, value)

st.subheader("Points per cup")
cups = profile["cups"]
if not season.rules.rankings_available:
    st.info(season.rules.rankings_reason, icon=":material/info:")
elif cups.empty:
    statuses = ", ".join(sorted(set(races["status"])))
    st.info(render.plain(f"No World Cup points yet: every race so far ended without points ({statuses})."))
else:
    render.table(
        views.blanks(cups.drop(columns=["cup_id"])),
        key="skater-cups",
        file_name=f"{competitor}-{view.season}-cups.csv",
        column_config={
            "cup": st.column_config.TextColumn("Cup"),
            "rank": st.column_config.NumberColumn("Rank"),
            "points": st.column_config.NumberColumn("Points"),
            "races": st.column_config.NumberColumn("Races"),
            "wins": st.column_config.NumberColumn("Wins"),
            "of": st.column_config.NumberColumn("Ranked", help="Competitors ranked in the cup"),
        },
    )
    history = profile["history"]
    if history["world_cup"].nunique() >= 1:
        render.chart(
            lambda: charts.rank_history_chart(
                history,
                title=f"{person['name']}: rank in each cup",
                as_of=as_of,
                source=views.source_line(season),
                nation=str(person["nation"]),
                dark=state.dark(),
            ),
            key="rank-history-chart",
            title=views.export_name(f"{person['name']} ranks {season.label} {as_of}"),
            view=(view.circuit, view.season, competitor, view.after, state.dark()),
        )

st.subheader("Every race")
shown_races = races.assign(
    provisional=races["provisional"].map({True: "⚑", False: ""}),
    official=races["official"].map({True: "", False: "unofficial"}),
    event_page=[
        state.page_link("event", event=n, race=r) for n, r in zip(races["world_cup"], races["race_id"], strict=True)
    ],
)
shown_races = shown_races.drop(columns=skaters.skater_races_unshown(races, season.rules))
if "day" not in shown_races:
    st.caption("The source gives no race days.")
render.table(
    views.blanks(shown_races),
    key="skater-races",
    file_name=f"{competitor}-{view.season}-races.csv",
    # On a phone: which race, and how it went, without a swipe; where and when after.
    column_order=[c for c in skaters.SKATER_RACES_ORDER if c in shown_races.columns],
    column_config={
        "world_cup": st.column_config.NumberColumn("World Cup", help="The World Cup's number in the season"),
        "city": st.column_config.TextColumn("City"),
        "day": st.column_config.TextColumn("Day"),
        "race": st.column_config.TextColumn("Race"),
        "division": st.column_config.TextColumn("Division"),
        "rank": st.column_config.NumberColumn("Rank", help="Blank: no place (DNS, DQ, ...)"),
        "status": st.column_config.TextColumn("Status", help=event.PENALTY_HELP if short_track else None),
        "time": st.column_config.TextColumn("Time"),
        "points": st.column_config.NumberColumn("Points"),
        "provisional": st.column_config.TextColumn(views.PROVISIONAL_MARK, help=views.PROVISIONAL_HELP),
        "official": st.column_config.TextColumn("Official", help="unofficial: the result is not declared official yet"),
        "event_page": st.column_config.LinkColumn(
            "Event page", display_text="Race result", help="The race on the Event page"
        ),
    },
)
state.publish(skater=competitor)
