"""The output layer: what a report shows and how, for every format.

``html`` holds the views every format shares (citation numbering, finding lines, labels)
and the HTML page; ``report`` the JSON, Markdown and terminal renderings and the files a run
writes; ``timeline`` a storyline's timeline laid out; ``export`` the timeline exports
(TimelineJS, CSV, Markdown); ``verify`` the citation check every output passes. The web app
draws its pages from here too. Nothing here computes a finding: it shows what the stages
made.
"""
