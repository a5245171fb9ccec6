package io.stratusmail.imap.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.imap.protocol.CommandFrame;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.mailbox.message.Flags;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search-key grammar (RFC 3501 section 9) into the {@link SearchKey} tree. */
class SearchParserTest {

    private static SearchKey parse(String criteria) throws ParseException {
        return SearchParser.parse(new CommandReader(CommandFrame.ofLine(criteria)));
    }

    @Test
    void rfcExampleBecomesAnAndOfThreeKeys() throws Exception {
        assertThat(parse("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Flag(Flags.FLAGGED, true),
                new SearchKey.InternalDate(SearchKey.DateComparison.SINCE, LocalDate.of(1994, 2, 1)),
                new SearchKey.Not(new SearchKey.Header("From", "Smith")))));
    }

    @Test
    void everyKeyHasItsModel() throws Exception {
        assertThat(parse("new")).isEqualTo(new SearchKey.And(List.of(new SearchKey.Recent(true),
                new SearchKey.Flag(Flags.SEEN, false))));
        assertThat(parse("OLD")).isEqualTo(new SearchKey.Recent(false));
        assertThat(parse("LARGER 4294967295")).isEqualTo(new SearchKey.Size(true, 4294967295L));
        assertThat(parse("SENTON \"5-Mar-2024\"")).isEqualTo(
                new SearchKey.SentDate(SearchKey.DateComparison.ON, LocalDate.of(2024, 3, 5)));
        assertThat(parse("HEADER X-Spam \"yes\"")).isEqualTo(new SearchKey.Header("X-Spam", "yes"));
        SearchKey or = parse("OR (1:3 UID 5) TEXT x");
        assertThat(or).isInstanceOf(SearchKey.Or.class);
        SearchKey.Or o = (SearchKey.Or) or;
        assertThat(o.right()).isEqualTo(new SearchKey.Text("x"));
        SearchKey.And left = (SearchKey.And) o.left();
        assertThat(((SearchKey.Sequence) left.keys().get(0)).uid()).isFalse();
        assertThat(((SearchKey.Sequence) left.keys().get(1)).uid()).isTrue();
        assertThat(parse("(SEEN)")).isEqualTo(new SearchKey.Flag(Flags.SEEN, true));
    }

    @Test
    void literalStringsAreUtf8() throws Exception {
        CommandFrame frame = new CommandFrame(List.of("BODY {6}".getBytes(StandardCharsets.US_ASCII), new byte[0]),
                List.of("cr\u00e8me".getBytes(StandardCharsets.UTF_8)));
        assertThat(SearchParser.parse(new CommandReader(frame))).isEqualTo(new SearchKey.Body("cr\u00e8me"));
    }

    @Test
    void badSyntaxIsAParseException() {
        for (String bad : List.of("", "SEEN ", "SEEN  SEEN", "KEYWORD", "KEYWORD \\Seen", "ON 1-Feb-94",
                "ON 29-Feb-2023", "UID x", ")", "(", "NOT", "OR SEEN", "HEADER \"\" x", "SMALLER -1",
                "LARGER 4294967296")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ParseException.class);
        }
    }
}
