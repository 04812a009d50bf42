"""The low layer shared by the rule-set pipeline and the patient profile: vocabularies, UCUM
units, time windows, diagnostics and file reading. It imports nothing else of the project."""
