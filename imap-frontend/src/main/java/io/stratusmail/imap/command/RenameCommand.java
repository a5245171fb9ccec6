package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * RENAME existing-name new-name (RFC 3501 section 6.3.5). Inferior names move with the name (keeping their
 * UIDVALIDITY, special use and subscriptions); missing superior names of the new name are created as
 * {@code \Noselect} names. RENAME INBOX moves every INBOX message to the new mailbox and leaves an empty INBOX
 * (names below INBOX stay). Renaming the selected mailbox is allowed: it keeps its identity, so the session
 * stays on it.
 *
 * <p>RENAME INBOX while this session has INBOX selected: RFC 3501 section 6.3.5 says the messages move and INBOX
 * is left empty, so the session is told what happened to its INBOX: {@code * n EXPUNGE} for every message (or
 * {@code * VANISHED} with QRESYNC) before {@code OK}, and the selection then stays on an empty view that reports
 * nothing more until the client selects again. It cannot follow the new INBOX (another UIDVALIDITY, so its UIDs
 * would clash with the ones the client was told under this selection), nor the renamed mailbox (the client
 * asked for them to leave INBOX). Dovecot refuses RENAME INBOX on its default maildir layout and on other
 * layouts lets the session follow the renamed mailbox; other sessions with INBOX selected do that here too
 * (like any rename of a selected mailbox) until they select again.
 *
 * <p>Answers {@code OK}, {@code NO [NONEXISTENT]} for an unknown existing-name, {@code NO [ALREADYEXISTS]} when
 * new-name (or the new name of an inferior name) exists, {@code NO [CANNOT]} for a new-name below the existing
 * one or an inferior name that would become too long or deep, {@code NO [LIMIT]} beyond the number of names.
 *
 * @param from the existing name
 * @param to   the new name
 */
public record RenameCommand(String tag, MailboxName from, MailboxName to) implements ImapCommand {

    static RenameCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        MailboxName from = MailboxArgument.name(args.astring());
        args.sp();
        MailboxName to = MailboxArgument.name(args.astring());
        args.end();
        return new RenameCommand(tag, from, to);
    }

    @Override
    public String name() {
        return "RENAME";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        SelectedMailbox selected = session.selected();
        boolean inboxSelected = from.isInbox() && selected != null && !selected.detached()
                && selected.mailbox().name().isInbox();
        return session.onEventLoop(session.services().mailboxes().rename(session.user(), from, to))
                .handle((done, error) -> {
                    if (error != null) {
                        return MailboxFailures.refusal(tag, error);
                    }
                    if (inboxSelected && session.selected() == selected) {
                        selected.detach(session.qresyncEnabled()).forEach(session::send);
                    }
                    return StatusResponse.ok(tag, "RENAME completed");
                });
    }
}
