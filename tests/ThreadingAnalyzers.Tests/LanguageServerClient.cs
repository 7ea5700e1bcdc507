using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The client side of the Language Server Protocol, as much as a test needs: JSON-RPC over the server's stdin and
/// stdout with Content-Length framing. Requests the server sends are answered by a callback; notifications are
/// queued for the test to read. Disposing kills the server's process tree, whatever state it is in.
/// </summary>
public sealed class LanguageServerClient : IDisposable
{
    /// <summary>The JSON-RPC error code for a request the client does not implement.</summary>
    private const int MethodNotFound = -32601;

    private const int TranscriptLimit = 400;

    private readonly Process process;
    private readonly Stream toServer;
    private readonly Func<string, JsonElement, JsonNode?> answer;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly Channel<(string Method, JsonElement Params)> notifications = Channel.CreateUnbounded<(string, JsonElement)>();
    private readonly ConcurrentQueue<string> transcript = new();
    private readonly StringBuilder stderr = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int lastId;

    /// <summary>
    /// Starts the server. <paramref name="answer"/> gets the method and params of every request the server sends and
    /// returns its result (null is a valid result); it throws <see cref="NotSupportedException"/> for a method it
    /// does not implement, which the server gets as "method not found".
    /// </summary>
    public LanguageServerClient(ProcessStartInfo startInfo, Func<string, JsonElement, JsonNode?> answer)
    {
        this.answer = answer;
        startInfo.RedirectStandardInput = startInfo.RedirectStandardOutput = startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        process = Process.Start(startInfo) ?? throw new InvalidOperationException("The language server did not start.");
        toServer = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(ReadLoop);
    }

    /// <summary>The notifications the server sent, in order.</summary>
    public ChannelReader<(string Method, JsonElement Params)> Notifications => notifications.Reader;

    /// <summary>What went over the wire, one line per message, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }

            return string.Join(Environment.NewLine, transcript) + Environment.NewLine + "stderr:" + Environment.NewLine + errors;
        }
    }

    /// <summary>Sends a request and waits for its result, at most <paramref name="timeout"/>; an error answer throws.</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref lastId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = response;
        await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = ToNode(parameters) });
        try
        {
            return await response.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method} got no answer within {timeout}.{Environment.NewLine}{Transcript}");
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public Task NotifyAsync(string method, object? parameters) =>
        WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = ToNode(parameters) });

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // The server has already exited.
        }

        process.Dispose();
        notifications.Writer.TryComplete();
    }

    private static JsonNode? ToNode(object? value) => value as JsonNode ?? JsonSerializer.SerializeToNode(value);

    private async Task WriteAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        Log("->", message.ToJsonString());
        await writeLock.WaitAsync();
        try
        {
            await toServer.WriteAsync(header);
            await toServer.WriteAsync(body);
            await toServer.FlushAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task ReadLoop()
    {
        var fromServer = new BufferedStream(process.StandardOutput.BaseStream);
        try
        {
            while (await ReadMessage(fromServer) is { } message)
            {
                var root = message.RootElement;
                var hasId = root.TryGetProperty("id", out var id);
                if (root.TryGetProperty("method", out var method))
                {
                    var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
                    if (hasId)
                    {
                        await AnswerRequest(id.Clone(), method.GetString()!, parameters);
                    }
                    else
                    {
                        Log("<-", root.GetRawText());
                        notifications.Writer.TryWrite((method.GetString()!, parameters));
                    }
                }
                else if (hasId && pending.TryGetValue(id.GetInt32(), out var response))
                {
                    Log("<-", root.GetRawText());
                    if (root.TryGetProperty("error", out var error))
                    {
                        response.TrySetException(new InvalidOperationException($"The server answered with an error: {error}"));
                    }
                    else
                    {
                        response.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or JsonException)
        {
            transcript.Enqueue($"read loop ended: {exception.Message}");
        }

        foreach (var response in pending.Values)
        {
            response.TrySetException(new IOException($"The language server closed its output.{Environment.NewLine}{Transcript}"));
        }

        notifications.Writer.TryComplete();
    }

    private async Task AnswerRequest(JsonElement id, string method, JsonElement parameters)
    {
        var response = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonSerializer.SerializeToNode(id) };
        try
        {
            response["result"] = answer(method, parameters);
        }
        catch (NotSupportedException)
        {
            response["error"] = new JsonObject { ["code"] = MethodNotFound, ["message"] = $"The test client does not implement {method}." };
        }

        Log("<-", $"request {method} {parameters}");
        await WriteAsync(response);
    }

    /// <summary>One message: headers up to an empty line, then Content-Length bytes of JSON; null at the end of the stream.</summary>
    private static async Task<JsonDocument?> ReadMessage(Stream stream)
    {
        var contentLength = -1;
        var header = new StringBuilder();
        var oneByte = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(oneByte) == 0)
            {
                return null;
            }

            if (oneByte[0] != '\n')
            {
                header.Append((char)oneByte[0]);
                continue;
            }

            var line = header.ToString().TrimEnd('\r');
            header.Clear();
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line[(colon + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (contentLength < 0)
        {
            throw new JsonException("A message came without a Content-Length header.");
        }

        var body = new byte[contentLength];
        await stream.ReadExactlyAsync(body);
        return JsonDocument.Parse(body);
    }

    private void Log(string direction, string message)
    {
        transcript.Enqueue($"{clock.Elapsed.TotalSeconds,6:0.0}s {direction} {Shorten(message)}");
        while (transcript.Count > TranscriptLimit && transcript.TryDequeue(out _))
        {
        }
    }

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return oneLine.Length <= 600 ? oneLine : oneLine[..600] + "…";
    }
}
