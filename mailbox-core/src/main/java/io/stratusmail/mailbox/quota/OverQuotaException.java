package io.stratusmail.mailbox.quota;

/**
 * An operation would take a user beyond a quota limit (RFC 9208 section 4.3): nothing was stored. IMAP answers
 * {@code NO [OVERQUOTA]}, LMTP {@code 552 5.2.2}.
 */
public class OverQuotaException extends RuntimeException {

    private final QuotaResource resource;
    private final long limit;
    private final long usage;
    private final long requested;

    /**
     * @param resource  the resource that would be exceeded
     * @param limit     its limit (octets for STORAGE)
     * @param usage     the usage before the operation
     * @param requested what the operation would have added
     */
    public OverQuotaException(QuotaResource resource, long limit, long usage, long requested) {
        super("over quota: resource=" + resource + " limit=" + limit + " usage=" + usage + " requested="
                + requested);
        this.resource = resource;
        this.limit = limit;
        this.usage = usage;
        this.requested = requested;
    }

    public QuotaResource resource() {
        return resource;
    }

    public long limit() {
        return limit;
    }

    public long usage() {
        return usage;
    }

    public long requested() {
        return requested;
    }
}
