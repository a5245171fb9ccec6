package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ListResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * LSUB reference pattern (RFC 3501 section 6.3.9): {@code * LSUB (attributes) "/" name} for each subscribed
 * name that matches, whether or not it is a mailbox ({@code \Noselect} when it is not a selectable one). When
 * the pattern ends in {@code %} and hides a subscribed name below a level that is not subscribed itself, that
 * level is returned with {@code \Noselect} (the RFC's {@code foo/bar} example). Patterns work as in
 * {@link ListCommand}.
 *
 * @param reference the reference name, UTF-8
 * @param pattern   the mailbox pattern, UTF-8
 */
public record LsubCommand(String tag, String reference, String pattern) implements ImapCommand {

    static LsubCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        String reference = MailboxArgument.decode(args.astring());
        args.sp();
        String pattern = MailboxArgument.decode(args.listMailbox());
        args.end();
        return new LsubCommand(tag, reference, pattern);
    }

    @Override
    public String name() {
        return "LSUB";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        ListPattern matcher = ListPattern.of(reference, pattern);
        return session.onEventLoop(session.services().mailboxes().subscriptions(session.user())
                .thenCombine(session.services().mailboxes().listWithAttributes(session.user()), (subscribed,
                        registry) -> {
                    Map<String, MailboxListing> existing = new HashMap<>();
                    registry.forEach(l -> existing.put(l.name().value(), l));
                    TreeSet<String> names = new TreeSet<>();
                    TreeSet<String> hiddenParents = new TreeSet<>();
                    for (MailboxName name : subscribed) {
                        names.add(name.value());
                        if (matcher.endsWithPercent()) {
                            name.ancestors().forEach(a -> hiddenParents.add(a.value()));
                        }
                    }
                    TreeSet<String> candidates = new TreeSet<>(names);
                    candidates.addAll(hiddenParents);
                    return candidates.stream().filter(matcher::matches).map(name -> {
                        MailboxListing entry = existing.get(name);
                        boolean selectable = names.contains(name) && entry != null && !entry.noselect();
                        return new ListResponse("LSUB", selectable ? List.of() : List.of("\\Noselect"),
                                MailboxName.DELIMITER, name, List.of());
                    }).toList();
                })).thenApply(responses -> {
                    responses.forEach(session::send);
                    return StatusResponse.ok(tag, "LSUB completed");
                });
    }
}
