package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.MessageSetCommand;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.MessageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPY, UID COPY (RFC 3501 sections 6.4.7 and 6.4.8), MOVE and UID MOVE (RFC 6851) sequence-set mailbox.
 *
 * <p>COPY answers {@code tag OK [COPYUID uidvalidity source-uids destination-uids]} (RFC 4315 section 3). MOVE
 * answers {@code * OK [COPYUID ...]} first, then {@code * n EXPUNGE} for each moved message (or one
 * {@code * VANISHED uids} once QRESYNC is enabled, RFC 6851 section 3.3), then {@code tag OK}. A destination that
 * does not exist gets {@code NO [TRYCREATE]}; MOVE from a mailbox opened with EXAMINE gets {@code NO [CANNOT]}; more
 * than {@value MessageStore#MAX_MESSAGES_PER_CALL} messages in one command get {@code NO [LIMIT]} (so the command
 * stays atomic: a failed COPY leaves the destination as it was, a failed MOVE never loses a message, see
 * {@link MessageStore#move}). Messages another session expunged meanwhile are skipped; when none of the named
 * messages is left the answer is {@code NO [EXPUNGEISSUED]}. A set naming no message (UID form) is {@code OK}.
 *
 * @param set         the messages, as MSNs or UIDs
 * @param uid         whether this is the UID form
 * @param move        MOVE rather than COPY
 * @param destination the target mailbox
 */
public record CopyCommand(String tag, SequenceSet set, boolean uid, boolean move, MailboxName destination)
        implements MessageSetCommand {

    private static final Logger LOG = LoggerFactory.getLogger(CopyCommand.class);
    /** RFC 5530: the command exceeds a server limit. */
    static final ResponseCode LIMIT = new ResponseCode("LIMIT", null);

    /** Reads {@code SP sequence-set SP mailbox}. */
    static CopyCommand parse(String tag, CommandReader args, boolean uid, boolean move) throws ParseException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "a sequence set"));
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.end();
        return new CopyCommand(tag, set, uid, move, name);
    }

    @Override
    public String name() {
        return (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session, SelectedMailbox selected, int[] msns) {
        if (move && selected.readOnly()) {
            return CompletableFuture.completedFuture(StatusResponse.readOnly(tag));
        }
        if (msns.length > MessageStore.MAX_MESSAGES_PER_CALL) {
            return CompletableFuture.completedFuture(StatusResponse.no(tag, LIMIT, "At most "
                    + MessageStore.MAX_MESSAGES_PER_CALL + " messages per " + name()));
        }
        List<Long> uids = new ArrayList<>(msns.length);
        for (int msn : msns) {
            uids.add(selected.uid(msn));
        }
        return session.onEventLoop(session.services().mailboxes().find(session.user(), destination))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.TRYCREATE,
                                "Mailbox does not exist"));
                    }
                    if (uids.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.ok(tag, name() + " completed"));
                    }
                    Mailbox target = found.get();
                    MessageStore store = session.services().messages();
                    CompletionStage<CopyResult> done = move
                            ? store.move(selected.mailbox().id(), uids, target)
                            : store.copy(selected.mailbox().id(), uids, target);
                    return session.onEventLoop(done).thenCompose(result -> {
                        LOG.debug("event=imap.{} session={} source={} destination={} messages={}",
                                move ? "move" : "copy", session.id(), selected.mailbox().id(), target.id(),
                                result.copies().size());
                        StatusResponse response = respond(session, selected, result);
                        // Copies into the selected mailbox show up as EXISTS right away (RFC 3501 section 7.3.1).
                        return target.id().equals(selected.mailbox().id())
                                ? MailboxRefresh.refresh(session).thenApply(v -> response)
                                : CompletableFuture.completedFuture(response);
                    });
                });
    }

    private StatusResponse respond(ImapSession session, SelectedMailbox selected, CopyResult result) {
        if (result.copies().isEmpty()) {
            return StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                    "The messages were expunged by another session");
        }
        ResponseCode copyUid = ResponseCode.copyUid(result.uidValidity(), result.sourceUids(),
                result.destinationUids());
        if (!move) {
            return StatusResponse.ok(tag, copyUid, name() + " completed");
        }
        session.send(StatusResponse.untaggedOk(copyUid, "Moved"));
        if (session.selected() == selected) {
            for (ImapResponse r : selected.expunge(result.sourceUids(), session.qresyncEnabled())) {
                session.send(r);
            }
        }
        return StatusResponse.ok(tag, name() + " completed");
    }
}
