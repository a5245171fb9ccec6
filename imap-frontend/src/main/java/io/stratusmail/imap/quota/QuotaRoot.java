package io.stratusmail.imap.quota;

import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.mailbox.quota.QuotaReport;
import io.stratusmail.mailbox.quota.Quotas;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one quota root of a user, {@code ""} (RFC 9208 section 3): it covers every mailbox of the user. It exists
 * when at least one resource of the user is limited; a user without limits has no quota root.
 */
final class QuotaRoot {

    /** The root's name on the wire. */
    static final String NAME = "";

    private QuotaRoot() {
    }

    /** The QUOTA response of the session user's root; empty when the user has no limit (no root). */
    static CompletionStage<Optional<QuotaResponse>> of(ImapSession session) {
        Quotas quotas = session.services().quotas();
        return quotas.limits(session.user()).thenCompose(limits -> limits.unlimited()
                ? CompletableFuture.completedFuture(Optional.<QuotaResponse>empty())
                : quotas.usage(session.user())
                        .thenApply(usage -> QuotaResponse.of(NAME, new QuotaReport(limits, usage))));
    }
}
