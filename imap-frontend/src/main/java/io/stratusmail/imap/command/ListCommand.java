package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ListResponse;
import io.stratusmail.imap.response.MailboxStatusResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.SpecialUse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * LIST (RFC 3501 section 6.3.8) with the extended syntax of LIST-EXTENDED (RFC 5258):
 * {@code LIST [(selection-options)] reference (pattern | (pattern ...)) [RETURN (return-options)]}.
 *
 * <p>Every reply carries {@code \HasChildren} or {@code \HasNoChildren} (RFC 3348, also unasked, as RFC 5258
 * allows), the special-use attributes of the mailbox (RFC 6154 section 2, also unasked) and {@code \Noselect}
 * for names that only hold inferior names. Selection options: {@code SUBSCRIBED} (subscribed names, also those
 * that do not exist, as {@code \NonExistent}; implies the return option), {@code SPECIAL-USE} (RFC 6154 section
 * 5.2: only mailboxes with a special use), {@code REMOTE} (no effect: this server has no remote mailboxes),
 * {@code RECURSIVEMATCH} (names that match a pattern but not the other selection options are also returned when
 * an inferior name meets them, with {@code ("CHILDINFO" (...))}; needs another selection option). Return
 * options: {@code SUBSCRIBED} ({@code \Subscribed}), {@code CHILDREN}, {@code SPECIAL-USE} (both always on),
 * {@code STATUS (items)} (RFC 5819: a {@code * STATUS} response right after each selectable mailbox's
 * {@code * LIST}). {@code LIST "" ""} returns the delimiter and the root {@code ""}.
 *
 * <p>{@code BAD} for an unknown option, RECURSIVEMATCH alone, more than {@value #MAX_PATTERNS} patterns, a
 * pattern that is not modified UTF-7.
 *
 * @param reference   the reference name, UTF-8
 * @param patterns    the mailbox patterns with {@code *} / {@code %} wildcards, UTF-8, at least one
 * @param selection   selection options (empty for the basic LIST)
 * @param returns     return options
 * @param statusItems the items of the STATUS return option; empty when it was not given
 */
public record ListCommand(String tag, String reference, List<String> patterns, Set<Selection> selection,
                          Set<Return> returns, Set<StatusItem> statusItems) implements ImapCommand {

    /** Most patterns in one LIST (RFC 5258 allows a list; this bounds the matching work per command). */
    public static final int MAX_PATTERNS = 64;

    /** Mailboxes whose counters RETURN (STATUS ...) reads at the same time. */
    static final int STATUS_READS_IN_FLIGHT = 16;

    /** LIST-EXTENDED selection options (RFC 5258 section 3.1, RFC 6154 section 5.2). */
    public enum Selection {
        SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE;

        String wire() {
            return name().replace('_', '-');
        }
    }

    /** LIST-EXTENDED return options (RFC 5258 section 3.2, RFC 6154 section 5.1, RFC 5819). */
    public enum Return {
        SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS
    }

    public ListCommand {
        patterns = List.copyOf(patterns);
        selection = selection.isEmpty() ? Set.of() : EnumSet.copyOf(selection);
        returns = returns.isEmpty() ? Set.of() : EnumSet.copyOf(returns);
        statusItems = Collections.unmodifiableSet(new LinkedHashSet<>(statusItems));
    }

    static ListCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        Set<Selection> selection = EnumSet.noneOf(Selection.class);
        if (args.tryConsume('(')) {
            while (!args.tryConsume(')')) {
                selection.add(option(args.atom(), Selection.class, "selection"));
                if (args.peek() != ')') {
                    args.sp();
                }
            }
            args.sp();
            boolean onlyRemote = selection.stream().allMatch(s -> s == Selection.RECURSIVEMATCH
                    || s == Selection.REMOTE);
            if (selection.contains(Selection.RECURSIVEMATCH) && onlyRemote) {
                throw new ParseException("RECURSIVEMATCH needs another selection option such as SUBSCRIBED "
                        + "(RFC 5258 section 3.1)");
            }
        }
        String reference = MailboxArgument.decode(args.astring());
        args.sp();
        List<String> patterns = new ArrayList<>();
        if (args.tryConsume('(')) {
            do {
                if (patterns.size() == MAX_PATTERNS) {
                    throw new ParseException("Too many LIST patterns (at most " + MAX_PATTERNS + ")");
                }
                patterns.add(MailboxArgument.decode(args.listMailbox()));
            } while (args.tryConsume(' '));
            args.expect(')');
        } else {
            patterns.add(MailboxArgument.decode(args.listMailbox()));
        }
        Set<Return> returns = EnumSet.noneOf(Return.class);
        Set<StatusItem> statusItems = new LinkedHashSet<>();
        if (!args.atEnd()) {
            args.sp();
            if (!args.tryKeyword("RETURN")) {
                throw new ParseException("Expected RETURN (return options) after the mailbox patterns");
            }
            args.sp();
            args.expect('(');
            while (!args.tryConsume(')')) {
                Return option = option(args.atom(), Return.class, "return");
                returns.add(option);
                if (option == Return.STATUS) {
                    args.sp();
                    statusItems.addAll(StatusItem.parseList(args));
                }
                if (args.peek() != ')') {
                    args.sp();
                }
            }
        }
        args.end();
        if (selection.contains(Selection.SUBSCRIBED)) {
            returns.add(Return.SUBSCRIBED); // RFC 5258 section 3.1: SUBSCRIBED selection implies it
        }
        return new ListCommand(tag, reference, patterns, selection, returns, statusItems);
    }

    private static <E extends Enum<E>> E option(String atom, Class<E> type, String what) throws ParseException {
        String name = atom.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Unknown LIST " + what + " option " + (atom.length() > 32
                    ? atom.substring(0, 32) : atom));
        }
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
        if (patterns.size() == 1 && patterns.get(0).isEmpty()) {
            session.send(new ListResponse(List.of("\\Noselect"), MailboxName.DELIMITER, ""));
            return CompletableFuture.completedFuture(ok);
        }
        CompletionStage<List<MailboxListing>> listing = session.services().mailboxes()
                .listWithAttributes(session.user());
        CompletionStage<List<MailboxName>> subscriptions = selection.contains(Selection.SUBSCRIBED)
                ? session.services().mailboxes().subscriptions(session.user())
                : CompletableFuture.completedFuture(List.of());
        return session.onEventLoop(listing.thenCombine(subscriptions, this::select))
                .thenCompose(lines -> reply(session, lines))
                .thenApply(done -> ok);
    }

    /** One name to answer with, in name order. */
    private record Line(MailboxListing entry, String name, List<String> attributes, List<String> childInfo) {
    }

    /** Applies the patterns and selection options to the user's names. */
    private List<Line> select(List<MailboxListing> registry, List<MailboxName> subscribed) {
        TreeMap<String, MailboxListing> existing = new TreeMap<>();
        for (MailboxListing l : registry) {
            existing.put(l.name().value(), l);
        }
        Set<String> subscribedNames = new TreeSet<>();
        subscribed.forEach(n -> subscribedNames.add(n.value()));
        TreeSet<String> meeting = new TreeSet<>();
        if (selection.contains(Selection.SUBSCRIBED)) {
            for (String name : subscribedNames) {
                MailboxListing l = existing.get(name);
                if (!selection.contains(Selection.SPECIAL_USE) || (l != null && !l.specialUse().isEmpty())) {
                    meeting.add(name);
                }
            }
        } else {
            for (MailboxListing l : registry) {
                if (!selection.contains(Selection.SPECIAL_USE) || !l.specialUse().isEmpty()) {
                    meeting.add(l.name().value());
                }
            }
        }
        boolean recursive = selection.contains(Selection.RECURSIVEMATCH);
        TreeSet<String> candidates = new TreeSet<>(meeting);
        if (recursive) {
            for (String name : meeting) {
                new MailboxName(name).ancestors().forEach(a -> candidates.add(a.value()));
            }
        }
        List<ListPattern> matchers = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            matchers.add(ListPattern.of(reference, p));
        }
        List<String> childInfo = new ArrayList<>();
        for (Selection s : selection) {
            if (s == Selection.SUBSCRIBED || s == Selection.SPECIAL_USE) {
                childInfo.add(s.wire());
            }
        }
        List<Line> lines = new ArrayList<>();
        for (String name : candidates) {
            if (matchers.stream().noneMatch(m -> m.matches(name))) {
                continue;
            }
            boolean meets = meeting.contains(name);
            boolean inferiorMeets = recursive && hasInferior(meeting, name);
            if (!meets && !inferiorMeets) {
                continue;
            }
            MailboxListing entry = existing.get(name);
            lines.add(new Line(entry, name, attributes(entry, isSubscribed(entry, subscribedNames, name)),
                    inferiorMeets ? childInfo : List.of()));
        }
        return lines;
    }

    private static boolean isSubscribed(MailboxListing entry, Set<String> subscribedNames, String name) {
        return entry != null ? entry.subscribed() : subscribedNames.contains(name);
    }

    private static boolean hasInferior(TreeSet<String> names, String name) {
        String prefix = name + MailboxName.DELIMITER;
        String next = names.ceiling(prefix);
        return next != null && next.startsWith(prefix);
    }

    private List<String> attributes(MailboxListing entry, boolean subscribed) {
        List<String> attributes = new ArrayList<>(4);
        if (entry == null) {
            attributes.add("\\NonExistent"); // RFC 5258 section 3.4; implies \Noselect
        } else {
            if (entry.noselect()) {
                attributes.add("\\Noselect");
            }
            attributes.add(entry.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            for (SpecialUse use : entry.specialUse()) {
                attributes.add(use.attribute());
            }
        }
        if (returns.contains(Return.SUBSCRIBED) && subscribed) {
            attributes.add("\\Subscribed");
        }
        return attributes;
    }

    /**
     * Sends the LIST replies, each selectable mailbox's STATUS right after it when asked (RFC 5819). The
     * counters are read {@value #STATUS_READS_IN_FLIGHT} mailboxes at a time, so a large account cannot flood the
     * store.
     */
    private CompletionStage<Void> reply(ImapSession session, List<Line> lines) {
        if (!returns.contains(Return.STATUS)) {
            lines.forEach(line -> session.send(response(line)));
            return CompletableFuture.completedFuture(null);
        }
        return replyWithStatus(session, lines, 0);
    }

    private CompletionStage<Void> replyWithStatus(ImapSession session, List<Line> lines, int from) {
        if (from >= lines.size()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Line> chunk = lines.subList(from, Math.min(lines.size(), from + STATUS_READS_IN_FLIGHT));
        List<CompletableFuture<MailboxStatusResponse>> statuses = new ArrayList<>(chunk.size());
        for (Line line : chunk) {
            statuses.add(line.entry() != null && line.entry().mailbox().isPresent()
                    ? MailboxStatus.of(session, line.entry().mailbox().get(), statusItems).toCompletableFuture()
                    : CompletableFuture.completedFuture(null));
        }
        return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            for (int i = 0; i < chunk.size(); i++) {
                session.send(response(chunk.get(i)));
                MailboxStatusResponse status = statuses.get(i).join();
                if (status != null) {
                    session.send(status);
                }
            }
            return replyWithStatus(session, lines, from + chunk.size());
        });
    }

    private static ListResponse response(Line line) {
        return new ListResponse("LIST", line.attributes(), MailboxName.DELIMITER, line.name(), line.childInfo());
    }
}
