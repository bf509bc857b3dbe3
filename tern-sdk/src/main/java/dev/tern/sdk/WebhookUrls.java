package dev.tern.sdk;

import java.net.URI;

/** Checks a definition's default webhook URL: absolute http or https, or none. */
final class WebhookUrls {
    private WebhookUrls() {}

    static String check(String url) {
        if (url == null) return null;
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null)
                return url;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("webhookUrl must be an absolute http or https URL, was '" + url + "'");
    }
}
