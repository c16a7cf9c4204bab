"""jenga_games.exercises."""
