"""Sport days ("mini-olympiades"): an event date whose registrations are the players,
drawn into teams that rotate through judged activities and play a round robin, with
referees typing results from a signed link and a scoreboard for the room."""
