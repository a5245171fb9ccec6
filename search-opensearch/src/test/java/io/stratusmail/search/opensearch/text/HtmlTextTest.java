package io.stratusmail.search.opensearch.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

    private static String text(String html) {
        return SearchText.normalize(HtmlText.toText(html));
    }

    @Test
    void tagsAreRemovedAndBlocksSeparateWords() {
        assertThat(text("<html><body><p>First paragraph</p><p>Second<br>line</p></body></html>"))
                .isEqualTo("First paragraph Second line");
    }

    @Test
    void inlineTagsDoNotSplitAWord() {
        assertThat(text("<p>Hel<b>lo</b> w<span class=\"x\">orld</span></p>")).isEqualTo("Hello world");
    }

    @Test
    void scriptStyleTitleAndCommentsAreNotText() {
        String html = "<head><title>Page title</title><style>p { color: red }</style></head>"
                + "<body><!-- hidden note --><script type='text/javascript'>var x = '<p>no</p>';</script>"
                + "Visible</body>";

        assertThat(text(html)).isEqualTo("Visible");
    }

    @Test
    void characterReferencesAreDecoded() {
        assertThat(text("Caf&eacute; &amp; cr&egrave;me &#8364;5 &#x263A; &lt;tag&gt; &nbsp;x"))
                .isEqualTo("Café & crème €5 ☺ <tag> x");
    }

    @Test
    void unknownOrBrokenReferencesAndLoneAnglesStayAsWritten() {
        assertThat(text("a &bogus; b &#xZZ; c & d 1 < 2 &#0; &#55296;"))
                .isEqualTo("a &bogus; b &#xZZ; c & d 1 < 2 &#0; &#55296;");
    }

    @Test
    void quotedAttributeWithAngleBracketDoesNotEndTheTag() {
        assertThat(text("<a title=\"a > b\" href='x'>link</a> after")).isEqualTo("link after");
    }

    @Test
    void apostropheInUnquotedAttributeDoesNotSwallowText() {
        assertThat(text("<font face=Arial's>one</font> two")).isEqualTo("one two");
    }

    @Test
    void unterminatedMarkupEndsTheText() {
        assertThat(text("before <script>never closed")).isEqualTo("before");
        assertThat(text("before <!-- never closed")).isEqualTo("before");
        assertThat(text("before <div class=\"x")).isEqualTo("before");
    }
}
