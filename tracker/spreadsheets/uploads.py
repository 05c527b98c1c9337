from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload


class CappedMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps uploads in memory and stops reading one that passes the import limit.

    The import form then reports the file as too big (see ImportFileField)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Always in memory, whatever the size: the cap below bounds it.
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.TRACKER_IMPORT_MAX_BYTES + 1024 * 1024:
            self.request.upload_too_big = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)
