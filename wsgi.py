"""The WSGI entry point gunicorn serves."""

from newsweb import create_app

app = create_app()
