package io.stratusmail.imap.quota;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GETQUOTA root (RFC 9208 section 4.1.1): {@code * QUOTA "" (STORAGE used-KiB limit-KiB MESSAGE used limit)},
 * listing the limited resources; usage is exact at the time of the command. {@code NO [NONEXISTENT]} for any
 * other root, or when the user has no limit (then there is no quota root).
 *
 * @param root the quota root asked about
 */
public record GetQuotaCommand(String tag, String root) implements ImapCommand {

    /** Reads {@code SP quota-root} (an astring) after the command name. */
    public static GetQuotaCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        String root = new String(args.astring(), StandardCharsets.UTF_8);
        args.end();
        return new GetQuotaCommand(tag, root);
    }

    @Override
    public String name() {
        return "GETQUOTA";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        if (!root.equals(QuotaRoot.NAME)) {
            return CompletableFuture.completedFuture(noSuchRoot());
        }
        return QuotaRoot.of(session).thenApply(quota -> {
            if (quota.isEmpty()) {
                return noSuchRoot();
            }
            session.send(quota.get());
            return StatusResponse.ok(tag, "GETQUOTA completed");
        });
    }

    private StatusResponse noSuchRoot() {
        return StatusResponse.no(tag, ResponseCode.NONEXISTENT, "No such quota root");
    }
}
