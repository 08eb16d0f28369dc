using Wallboard.Web.Ingest.Asterisk;

namespace Wallboard.Tests.Ingest.Asterisk;

public class QueueLogParserTests
{
    [Fact]
    public void A_line_is_split_into_epoch_call_queue_member_event_and_data()
    {
        var result = QueueLogParser.Parse("1543602753|1543602660.197|IT|Agent/1127|CONNECT|76|1543602746.232|6");

        Assert.Empty(result.Errors);
        var line = Assert.Single(result.Lines);
        Assert.Equal(1, line.LineNumber);
        Assert.Equal("1543602753", line.EpochText);
        Assert.Equal(1543602753m, line.Epoch);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1543602753), line.At);
        Assert.Equal(TimeSpan.Zero, line.At.Offset);
        Assert.Equal("1543602660.197", line.CallId);
        Assert.Equal("IT", line.Queue);
        Assert.Equal("Agent/1127", line.Agent);
        Assert.Equal("CONNECT", line.Event);
        Assert.Equal(["76", "1543602746.232", "6"], line.Data);
    }

    [Fact]
    public void A_fractional_epoch_keeps_its_fraction()
    {
        var line = Assert.Single(QueueLogParser.Parse("1543602753.250|c1|IT|NONE|ABANDON|1|1|5").Lines);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1543602753250), line.At);
        Assert.Equal("1543602753.250", line.EpochText);
    }

    [Fact]
    public void Events_without_data_parse_with_or_without_the_trailing_separator()
    {
        var result = QueueLogParser.Parse("1543527289|NONE|NONE|NONE|QUEUESTART|\n1543527290|NONE|NONE|NONE|QUEUESTART");

        Assert.Empty(result.Errors);
        Assert.Equal([""], result.Lines[0].Data);
        Assert.Empty(result.Lines[1].Data);
    }

    [Fact]
    public void Windows_line_endings_and_a_final_line_break_are_not_errors()
    {
        var result = QueueLogParser.Parse("1|c1|IT|NONE|ENTERQUEUE||555|1\r\n2|c1|IT|NONE|ABANDON|1|1|1\r\n");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Lines.Count);
        Assert.Equal("1", result.Lines[1].DataAt(2));
    }

    [Fact]
    public void Event_names_are_compared_in_upper_case()
    {
        var line = Assert.Single(QueueLogParser.Parse("1|c1|IT|NONE|enterqueue||555|1").Lines);

        Assert.Equal("ENTERQUEUE", line.Event);
    }

    [Theory]
    [InlineData("", "empty line")]
    [InlineData("   ", "empty line")]
    [InlineData("garbage", "expected at least 5 '|'-separated fields (epoch|callid|queue|agent|EVENT), found 1")]
    [InlineData("1543602753|c1|IT|NONE", "expected at least 5 '|'-separated fields (epoch|callid|queue|agent|EVENT), found 4")]
    [InlineData("yesterday|c1|IT|NONE|ABANDON|1|1|5", "epoch 'yesterday' is not a Unix time in seconds")]
    [InlineData("-1543602753|c1|IT|NONE|ABANDON|1|1|5", "epoch '-1543602753' is not a Unix time in seconds")]
    [InlineData("1.5e9|c1|IT|NONE|ABANDON|1|1|5", "epoch '1.5e9' is not a Unix time in seconds")]
    [InlineData("1.2.3|c1|IT|NONE|ABANDON|1|1|5", "epoch '1.2.3' is not a Unix time in seconds")]
    [InlineData("0|c1|IT|NONE|ABANDON|1|1|5", "epoch '0' is not a Unix time in seconds")]
    [InlineData("99999999999999|c1|IT|NONE|ABANDON|1|1|5", "epoch '99999999999999' is not a Unix time in seconds")]
    [InlineData("|c1|IT|NONE|ABANDON|1|1|5", "epoch '' is not a Unix time in seconds")]
    [InlineData("1543602753||IT|NONE|ABANDON|1|1|5", "call id (field 2) is empty")]
    [InlineData("1543602753|c1|IT|NONE||1|1|5", "event name (field 5) is empty")]
    public void A_garbage_line_is_an_error_naming_its_line_and_what_was_wrong(string garbage, string reason)
    {
        var result = QueueLogParser.Parse($"1543602700|c0|IT|NONE|ENTERQUEUE||555|1\n{garbage}\n1543602800|c0|IT|NONE|ABANDON|1|1|100\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal($"line 2: {reason}", error.Reason);
        Assert.Equal([1, 3], result.Lines.Select(l => l.LineNumber));
    }

    [Fact]
    public void A_huge_garbage_epoch_is_shortened_in_the_reason()
    {
        var error = Assert.Single(QueueLogParser.Parse(new string('x', 5000) + "|c1|IT|NONE|ABANDON").Errors);

        Assert.True(error.Reason.Length < 120, error.Reason);
    }
}
