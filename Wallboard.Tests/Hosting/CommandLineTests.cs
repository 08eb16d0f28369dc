using System.Diagnostics;
using Wallboard.Web;

namespace Wallboard.Tests.Hosting;

/// <summary>The program's command line: verbs run, options run the app, anything else is refused with the usage.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int? Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await CommandLine.TryRunAsync(args, output, errors, CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var run = await RunAsync("--help");

        Assert.Equal(0, run.Code);
        foreach (var verb in new[] { "replay", "create-admin", "create-api-token" })
        {
            Assert.Contains($"  {verb} ", run.Output, StringComparison.Ordinal);
        }

        Assert.Equal(CommandLine.Verbs.Count, CommandLine.Verbs.Count(v => run.Output.Contains($"  {v.Name} ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("send-digset")]
    [InlineData("Replay")]
    public async Task An_unknown_verb_exits_2_with_the_usage(string verb)
    {
        var run = await RunAsync(verb, "--urls", "http://127.0.0.1:0");

        Assert.Equal(CommandLine.BadArguments, run.Code);
        Assert.Contains($"Unknown verb '{verb}'.", run.Errors, StringComparison.Ordinal);
        Assert.Contains("create-api-token", run.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:5080", "stray")]
    [InlineData("--urls")]
    [InlineData("--Wallboard:DataDirectory=/tmp/x", "--help")]
    public async Task Malformed_app_options_exit_2_with_the_usage(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(CommandLine.BadArguments, run.Code);
        Assert.Contains("Verbs:", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_verb_keeps_its_own_usage_and_exit_code()
    {
        var run = await RunAsync("create-admin", "--email");

        Assert.Equal(2, run.Code);
        Assert.Contains("Usage: create-admin", run.Errors, StringComparison.Ordinal);
    }

    /// <summary>The program itself, as <c>dotnet run -- send-digset</c> runs it: it must exit, not listen.</summary>
    [Fact]
    public async Task The_program_given_an_unknown_verb_exits_instead_of_starting_the_web_server()
    {
        var data = Directory.CreateTempSubdirectory("wallboard-cli-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Wallboard.Web.dll"), "send-digset", $"--Wallboard:DataDirectory={data.FullName}", "--urls", "http://127.0.0.1:0" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Still running after 60 s (a web server started): {await output}");
            }

            Assert.Equal(CommandLine.BadArguments, process.ExitCode);
            Assert.Contains("Unknown verb 'send-digset'.", await errors, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
