"""What a user reads: the JSON and table exports, the one-file HTML report and the web app."""
