"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

# Static files (WhiteNoise) and attachment downloads are file iterators that Django adapts to
# async chunk by chunk; that is correct and cheap at our sizes, so the warning is only noise.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

application = ProtocolTypeRouter({"http": django_application})
