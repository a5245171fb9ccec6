package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.response.VanishedResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The FETCH modifiers of RFC 7162: {@code (CHANGEDSINCE modseq [VANISHED])} (sections 3.1.4.1 and 3.2.6).
 * CHANGEDSINCE answers only the messages whose MODSEQ is above {@code modseq}, each with its MODSEQ; VANISHED
 * (UID FETCH only, QRESYNC enabled, with CHANGEDSINCE) first answers {@code * VANISHED (EARLIER) uids} for the
 * UIDs of the set expunged after {@code modseq}.
 *
 * @param changedSince the CHANGEDSINCE MODSEQ (0 or more), or -1 when not given
 * @param vanished     whether VANISHED was given
 */
public record FetchModifiers(long changedSince, boolean vanished) {

    /** No modifiers. */
    public static final FetchModifiers NONE = new FetchModifiers(-1, false);

    /** Reads {@code [SP "(" modifier *(SP modifier) ")"]}, where a modifier is CHANGEDSINCE n or VANISHED. */
    static FetchModifiers parse(CommandReader args) throws ParseException {
        if (!args.tryConsume(' ')) {
            return NONE;
        }
        args.expect('(');
        long changedSince = -1;
        boolean vanished = false;
        do {
            String name = args.atom().toUpperCase(Locale.ROOT);
            if (name.equals("CHANGEDSINCE") && changedSince < 0) {
                args.sp();
                changedSince = args.number(Long.MAX_VALUE);
            } else if (name.equals("VANISHED") && !vanished) {
                vanished = true;
            } else {
                throw new ParseException("Unknown or repeated FETCH modifier " + (name.length() > 32
                        ? name.substring(0, 32) + "..." : name));
            }
        } while (args.tryConsume(' '));
        args.expect(')');
        return new FetchModifiers(changedSince, vanished);
    }

    /**
     * The {@code BAD} answer when the modifiers cannot be used here (RFC 7162 section 3.2.6: VANISHED needs UID
     * FETCH, CHANGEDSINCE and ENABLE QRESYNC), else null; turns CONDSTORE on when CHANGEDSINCE is used.
     */
    StatusResponse check(ImapSession session, String tag, boolean uid) {
        if (vanished && (!uid || changedSince < 0 || !session.qresyncEnabled())) {
            return StatusResponse.bad(tag, "VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC");
        }
        if (changedSince >= 0) {
            session.enableCondstore();
        }
        return null;
    }

    /** With VANISHED, sends {@code * VANISHED (EARLIER)} for the UIDs in {@code set} expunged after CHANGEDSINCE. */
    CompletionStage<Void> reportVanished(ImapSession session, SelectedMailbox selected, SequenceSet set) {
        if (!vanished) {
            return CompletableFuture.completedFuture(null);
        }
        long star = Math.max(1, selected.uidNext() - 1);
        return session.onEventLoop(session.services().messages().changesSince(selected.mailbox().id(),
                changedSince)).thenAccept(changes -> {
                    List<Long> gone = new ArrayList<>();
                    for (long uid : changes.vanished()) {
                        if (set.contains(uid, star)) {
                            gone.add(uid);
                        }
                    }
                    if (!gone.isEmpty()) {
                        session.send(new VanishedResponse(gone, true));
                    }
                });
    }
}
