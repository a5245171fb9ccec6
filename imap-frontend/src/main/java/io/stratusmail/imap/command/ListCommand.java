package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ListResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * LIST reference mailbox (RFC 3501 section 6.3.8). Names go out in modified UTF-7 with {@code \HasChildren}
 * or {@code \HasNoChildren} (RFC 3348); {@code LIST "" ""} returns the delimiter {@code /} and the root
 * {@code ""}. A pattern ending in {@code %} also lists parent levels that are not mailboxes, as
 * {@code \Noselect}.
 *
 * @param reference the reference name, UTF-8
 * @param pattern   the mailbox pattern with {@code *} / {@code %} wildcards, UTF-8
 */
public record ListCommand(String tag, String reference, String pattern) implements ImapCommand {

    static ListCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        String reference = MailboxArgument.decode(args.astring());
        args.sp();
        String pattern = MailboxArgument.decode(args.listMailbox());
        args.end();
        return new ListCommand(tag, reference, pattern);
    }

    @Override
    public String name() {
        return "LIST";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        StatusResponse ok = StatusResponse.ok(tag, "LIST completed");
        if (pattern.isEmpty()) {
            session.send(new ListResponse(List.of("\\Noselect"), MailboxName.DELIMITER, ""));
            return CompletableFuture.completedFuture(ok);
        }
        ListPattern matcher = ListPattern.of(reference, pattern);
        return session.onEventLoop(session.services().mailboxes().list(session.user())).thenApply(mailboxes -> {
            TreeSet<String> existing = new TreeSet<>();
            for (Mailbox m : mailboxes) {
                existing.add(m.name().value());
            }
            TreeSet<String> candidates = new TreeSet<>(existing);
            if (matcher.endsWithPercent()) {
                for (String name : existing) {
                    for (int i = name.indexOf(MailboxName.DELIMITER); i > 0;
                         i = name.indexOf(MailboxName.DELIMITER, i + 1)) {
                        candidates.add(name.substring(0, i));
                    }
                }
            }
            for (String name : candidates) {
                if (!matcher.matches(name)) {
                    continue;
                }
                List<String> attributes = new ArrayList<>(2);
                if (!existing.contains(name)) {
                    attributes.add("\\Noselect");
                }
                String higher = existing.higher(name + MailboxName.DELIMITER);
                boolean children = higher != null && higher.startsWith(name + MailboxName.DELIMITER);
                attributes.add(children ? "\\HasChildren" : "\\HasNoChildren");
                session.send(new ListResponse(attributes, MailboxName.DELIMITER, name));
            }
            return ok;
        });
    }
}
