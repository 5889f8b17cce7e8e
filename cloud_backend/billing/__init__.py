"""License renewals paid through Razorpay payment links, and the webhook that extends a site when one is paid."""
