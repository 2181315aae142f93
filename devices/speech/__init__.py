"""Live speech: sentences with values (a name, a fee, a date) rendered to audio at run time."""
