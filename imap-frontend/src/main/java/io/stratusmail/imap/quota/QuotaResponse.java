package io.stratusmail.imap.quota;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.mailbox.quota.QuotaReport;
import io.stratusmail.mailbox.quota.QuotaResource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code * QUOTA root (resource usage limit ...)} (RFC 9208 section 5.1), e.g.
 * {@code * QUOTA "" (STORAGE 10 512 MESSAGE 3 1000)}.
 *
 * @param root      the quota root name
 * @param resources one entry per limited resource, in the order written (at least one)
 */
public record QuotaResponse(String root, List<Resource> resources) implements ImapResponse {

    /**
     * One resource triple, in the wire's units (STORAGE in units of 1024 octets).
     *
     * @param name  the RFC 9208 resource name
     * @param usage current usage
     * @param limit the limit
     */
    public record Resource(String name, long usage, long limit) {
    }

    public QuotaResponse {
        resources = List.copyOf(resources);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a QUOTA response names at least one resource");
        }
    }

    /**
     * The response for a report's limited resources; empty when no resource is limited. STORAGE usage is rounded
     * up to whole KiB (a non-empty mailbox never shows 0) and its limit down (a client never sees more room than
     * there is).
     */
    public static java.util.Optional<QuotaResponse> of(String root, QuotaReport report) {
        List<Resource> resources = new ArrayList<>(2);
        OptionalLong storage = report.limits().limit(QuotaResource.STORAGE);
        if (storage.isPresent()) {
            long usage = report.usage().storage();
            resources.add(new Resource("STORAGE", usage / 1024 + (usage % 1024 == 0 ? 0 : 1),
                    storage.getAsLong() / 1024));
        }
        OptionalLong messages = report.limits().limit(QuotaResource.MESSAGE);
        if (messages.isPresent()) {
            resources.add(new Resource("MESSAGE", report.usage().messages(), messages.getAsLong()));
        }
        return resources.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new QuotaResponse(root, resources));
    }

    @Override
    public void write(ImapWriter out) {
        out.raw("* QUOTA ").string(root).raw(" (");
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            if (i > 0) {
                out.sp();
            }
            out.raw(r.name()).sp().number(r.usage()).sp().number(r.limit());
        }
        out.raw(')').crlf();
    }
}
