"""How an event day is laid out, in plain Python: no Django, no database, no project
import, so every rule can be tested on thousands of random instances and timed in
`bench/`. The app's services feed it the registrations and store what it returns."""
