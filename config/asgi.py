import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")  # a production server is strict unless DEBUG=1 is given explicitly
application = get_asgi_application()
