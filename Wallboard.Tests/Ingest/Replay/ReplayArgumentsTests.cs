using Wallboard.Web.Ingest.Replay;

namespace Wallboard.Tests.Ingest.Replay;

public class ReplayArgumentsTests
{
    private static ReplayOptions? Parse(string line, out string? error) =>
        ReplayArguments.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), out error, out _);

    [Fact]
    public void Full_arguments_read_into_options()
    {
        var options = Parse("calls.jsonl --format jsonl --integration 3 --secret s3cret --url http://localhost:5080 --speed 2.5 --batch 50 --shift-to-now", out var error);

        Assert.Null(error);
        Assert.Equal(new ReplayOptions("calls.jsonl", ReplayFormat.Jsonl, 3, "s3cret", new Uri("http://localhost:5080"), 2.5, 50, TimeShift.FirstToNow), options);
    }

    [Fact]
    public void Options_may_come_in_any_order_and_as_name_equals_value()
    {
        var options = Parse("--url=http://h:1/ --secret=x --integration=7 --format=asterisk q.log --shift-end-to-now", out var error);

        Assert.Null(error);
        Assert.Equal(ReplayFormat.Asterisk, options!.Format);
        Assert.Equal(7, options.IntegrationId);
        Assert.Equal("q.log", options.File);
        Assert.Equal(TimeShift.LastToNow, options.Shift);
        Assert.Null(options.Speed);
        Assert.Equal(ReplayOptions.DefaultBatchSize, options.BatchSize);
    }

    [Theory]
    [InlineData("--format jsonl --integration 1 --secret s --url http://h", "Which file")]
    [InlineData("f --integration 1 --secret s --url http://h", "Missing --format")]
    [InlineData("f --format jsonl --secret s", "Missing --integration, --url")]
    [InlineData("f --format csv --integration 1 --secret s --url http://h", "--format must be asterisk or jsonl")]
    [InlineData("f --format jsonl --integration one --secret s --url http://h", "--integration must be")]
    [InlineData("f --format jsonl --integration 0 --secret s --url http://h", "--integration must be")]
    [InlineData("f --format jsonl --integration 1 --secret s --url localhost:5080", "--url must be")]
    [InlineData("f --format jsonl --integration 1 --secret s --url ftp://h", "--url must be")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --speed 0", "--speed must be a number above 0")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --speed fast", "--speed must be a number above 0")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --batch 1001", "--batch must be a whole number from 1 to 1000")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --batch 0", "--batch must be")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --shift-to-now --shift-end-to-now", "not both")]
    [InlineData("f --format jsonl --integration 1 --secret s --url http://h --colour red", "Unknown option '--colour'")]
    [InlineData("f g --format jsonl --integration 1 --secret s --url http://h", "One file at a time")]
    [InlineData("f --format jsonl --format asterisk --integration 1 --secret s --url http://h", "--format is given twice")]
    [InlineData("f --format jsonl --integration 1 --secret s --url", "--url needs a value")]
    public void Bad_arguments_are_refused_with_a_reason(string line, string reason)
    {
        Assert.Null(Parse(line, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_asks_for_the_usage_text()
    {
        Assert.Null(ReplayArguments.Parse(["--help"], out var error, out var help));
        Assert.True(help);
        Assert.Null(error);
        Assert.Contains("--shift-to-now", ReplayArguments.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://h:5080", ReplayFormat.Jsonl, "http://h:5080/api/v1/call-events")]
    [InlineData("http://h:5080/", ReplayFormat.Jsonl, "http://h:5080/api/v1/call-events")]
    [InlineData("https://h/wallboard", ReplayFormat.Jsonl, "https://h/wallboard/api/v1/call-events")]
    [InlineData("http://h:5080", ReplayFormat.Asterisk, "http://h:5080/api/v1/integrations/4/asterisk/queue-log")]
    public void The_endpoint_is_under_the_base_url(string url, ReplayFormat format, string endpoint)
    {
        var options = new ReplayOptions("f", format, 4, "s", new Uri(url));

        Assert.Equal(new Uri(endpoint), options.Endpoint);
    }
}
