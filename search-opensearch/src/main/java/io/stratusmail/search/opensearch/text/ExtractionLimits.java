package io.stratusmail.search.opensearch.text;

/**
 * Bounds on what {@link IndexedMessage#from(byte[], ExtractionLimits)} keeps of one message, so that one huge
 * or hostile message cannot make an index document without bound. What is over a limit is not indexed (and
 * so not found by SEARCH through the index); the rest of the message still is.
 *
 * @param maxBodyOctets    decoded octets of text parts read into the body text, all parts together
 *                         (1 MiB by default); parts after the limit are skipped
 * @param maxHeaderFields  header fields of the top-level header kept (256 by default)
 * @param maxHeaderChars   characters kept of each header field ({@code name: value}), subject and address,
 *                         1 to {@value #MAX_HEADER_CHARS} (8,192 by default)
 * @param maxAddresses     addresses kept per address field, From/To/Cc/Bcc (1,000 by default)
 */
public record ExtractionLimits(int maxBodyOctets, int maxHeaderFields, int maxHeaderChars, int maxAddresses) {

    /**
     * Upper bound of {@code maxHeaderChars}: at most 3 UTF-8 octets a char, a value then fits the 32,766
     * octets of an index doc value.
     */
    public static final int MAX_HEADER_CHARS = 10_000;

    /** The limits used when none are configured. */
    public static final ExtractionLimits DEFAULT = new ExtractionLimits(1 << 20, 256, 8_192, 1_000);

    public ExtractionLimits {
        if (maxBodyOctets < 0 || maxHeaderFields < 0 || maxAddresses < 0) {
            throw new IllegalArgumentException("extraction limits must not be negative");
        }
        if (maxHeaderChars < 1 || maxHeaderChars > MAX_HEADER_CHARS) {
            throw new IllegalArgumentException("maxHeaderChars must be 1 to " + MAX_HEADER_CHARS);
        }
    }
}
