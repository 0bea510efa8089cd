"""In-app notifications: everything Partnernet e-mails a person also waits for them in the app, with an unread
count in the header (``services.notify``)."""
