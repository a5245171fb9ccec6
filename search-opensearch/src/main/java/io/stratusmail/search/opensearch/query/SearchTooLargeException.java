package io.stratusmail.search.opensearch.query;

/** A search matched more messages than the configured maximum; the SEARCH command answers NO. */
public final class SearchTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param maxResults the configured maximum */
    public SearchTooLargeException(int maxResults) {
        super("search matched more than " + maxResults + " messages");
    }
}
