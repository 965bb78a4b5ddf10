"""Co-funding pledges and the fair-share exports on the web (issue 11)."""
