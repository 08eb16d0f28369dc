using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wallboard.Bench.Hosting;

/// <summary>
/// Runs the app as production would: <c>dotnet publish -c Release</c>, then the published
/// <c>Wallboard.Web.dll</c> as a child process on a free loopback port, with its files in the given
/// folder, pointed at the run's database, and the simulator off (the bench is the only traffic).
/// </summary>
internal sealed class ChildProcessLauncher(string repositoryRoot, bool build, TextWriter log, IReadOnlyList<string>? appSettings = null) : IServerLauncher
{
    private string ProjectPath => Path.Combine(repositoryRoot, "Wallboard.Web", "Wallboard.Web.csproj");

    // Published, not just built: outside Development the app serves its static files (Blazor's
    // script, the TV's styles) only from a published folder, so a built one shows TV pages that never go live.
    private string PublishPath => Path.Combine(repositoryRoot, "Wallboard.Web", "bin", "Release", "net10.0", "publish");

    private string AssemblyPath => Path.Combine(PublishPath, "Wallboard.Web.dll");

    public string Description => $"child process: dotnet {Path.GetRelativePath(repositoryRoot, AssemblyPath)} (published Release, Production)";

    public async Task PrepareAsync(CancellationToken ct)
    {
        if (build)
        {
            log.WriteLine("Publishing the app (dotnet publish -c Release)…");
            var (code, output) = await RunToEndAsync("dotnet", ["publish", ProjectPath, "-c", "Release", "-o", PublishPath, "-nologo", "-v", "q"], ct);
            if (code != 0)
            {
                throw new InvalidOperationException($"dotnet publish -c Release failed ({code}):{Environment.NewLine}{output}");
            }
        }

        if (!File.Exists(AssemblyPath))
        {
            throw new InvalidOperationException($"{AssemblyPath} does not exist; publish the app in Release or drop --no-build.");
        }
    }

    public Task<RunningServer> StartAsync(string dataDirectory, BenchDatabase database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            // The app's content root is its working directory: there it finds appsettings.json
            // (log levels: SQL logging at Information would slow ingest down).
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
        [
            AssemblyPath,
            "--urls", baseAddress.ToString().TrimEnd('/'),
            .. database.AppSettings.Select(setting => "--" + setting),
            $"--Wallboard:DataDirectory={dataDirectory}",
            "--Wallboard:Simulator:Enabled=false",
            .. (appSettings ?? []).Select(setting => "--" + setting),
        ])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        return Task.FromResult<RunningServer>(new ChildServer(process, baseAddress, Path.Combine(dataDirectory, "app.log")));
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static async Task<(int ExitCode, string Output)> RunToEndAsync(string file, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private sealed class ChildServer : RunningServer
    {
        private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

        private readonly Process _process;
        private readonly StreamWriter _log;
        private readonly Lock _lock = new();
        private readonly Queue<string> _tail = new();
        private bool _closed;

        public ChildServer(Process process, Uri baseAddress, string logPath)
        {
            _process = process;
            BaseAddress = baseAddress;
            _log = new StreamWriter(logPath, append: true, Encoding.UTF8);
            // Drain both pipes, or the app blocks once a pipe's buffer is full.
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public override Uri BaseAddress { get; }

        public override int ProcessId => _process.Id;

        public override bool HasExited => _process.HasExited;

        public override string LogTail
        {
            get
            {
                lock (_lock)
                {
                    return string.Join(Environment.NewLine, _tail);
                }
            }
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the app shuts down as a service manager would stop it (commits what it
                // acknowledged, closes the database).
                await RunToEndAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
            else
            {
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            lock (_lock)
            {
                _closed = true;
                _log.Dispose();
            }

            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                if (!_closed)
                {
                    _log.WriteLine(line);
                }

                _tail.Enqueue(line);
                if (_tail.Count > 40)
                {
                    _tail.Dequeue();
                }
            }
        }
    }
}
