"""Function words per language, dropped before themes are found. Words that carry a
service topic are kept even when general lists drop them ("call", "back", "hold", "no",
"never", "nobody"): "no call back" is a theme, not noise. A language without a list is
analysed with none, which still works, only with noisier labels."""

ENGLISH = """
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing done down during each even ever
every few for from further get got had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most much my myself of off on
once only or other our ours ourselves out over own really same she should so some such
than that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves didn doesn don isn wasn ve ll
one two three first time day days thing things lot bit quite still
"""

GERMAN = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
anderes auch auf aus bei bin bis bist da damit dann der den des dem die das dass du
dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines
er es etwas euch euer eure für hatte hatten hat haben hier hin ich ihr ihre ihm ihn im in
ist ja jede jedem jeden jeder jedes jetzt kann können man mein meine mich mir mit muss
nach noch nun nur ob oder ohne schon sehr sein seine sich sie sind so soll über um und
uns unser unter viel vom von vor war waren warum was weil weiter welche wenn wer werde
werden wie wieder will wir wird wo wurde wurden zu zum zur
"""

LISTS = {"en": ENGLISH, "de": GERMAN}


def stop_words(language: str) -> frozenset[str]:
    base = (language or "en").split("-")[0].lower()
    return frozenset(LISTS.get(base, "").split())
