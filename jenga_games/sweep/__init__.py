"""jenga_games.sweep."""
