"""The map as a Telegram Mini App: the page at /webapp/, its GeoJSON feeds and the sign-up
behind it, served by the bot's own web server (see `webapp.routes`)."""
