package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.EnabledResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ENABLE capability ... (RFC 5161), in the authenticated state only: answers {@code * ENABLED} with the
 * requested extensions that this server can enable and turns them on for the connection: CONDSTORE and QRESYNC
 * (RFC 7162 sections 3.1 and 3.2.3; QRESYNC implies CONDSTORE, but only the names asked for are listed). Unknown
 * names are ignored as RFC 5161 section 3.1 requires.
 *
 * @param requested the capability names asked for, as sent
 */
public record EnableCommand(String tag, List<String> requested) implements ImapCommand {

    /** Capabilities ENABLE can turn on. */
    static final Set<String> ENABLEABLE = Set.of("CONDSTORE", "QRESYNC");

    static EnableCommand parse(String tag, CommandReader args) throws ParseException {
        List<String> names = new ArrayList<>();
        do {
            args.sp();
            names.add(args.atom());
        } while (!args.atEnd());
        return new EnableCommand(tag, List.copyOf(names));
    }

    @Override
    public String name() {
        return "ENABLE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        List<String> enabled = new ArrayList<>();
        for (String name : requested) {
            String upper = name.toUpperCase(java.util.Locale.ROOT);
            if (ENABLEABLE.contains(upper) && !enabled.contains(upper)) {
                enabled.add(upper);
                if (upper.equals("QRESYNC")) {
                    session.enableQresync();
                } else {
                    session.enableCondstore();
                }
            }
        }
        session.send(new EnabledResponse(enabled));
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "ENABLE completed"));
    }
}
