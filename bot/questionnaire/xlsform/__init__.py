"""XLSForm in and out: the questionnaire as a spreadsheet M&E staff can edit (issue 17).

See docs/questionnaire.md for the column layout.  ``export`` writes a workbook, ``read`` reads
one back into the same :class:`~bot.questionnaire.model.Questionnaire`.
"""
