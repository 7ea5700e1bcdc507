// THR008: Thread.Join(timeout) waits at most the timeout and returns whether the thread has ended. Called as a
// statement, the answer is lost and the program goes on as if the thread had finished.

Console.WriteLine("THR008 sample: the result of a timed Join.");

// Hazard: after 100 ms the program goes on, though the thread is still running.
var flush = new Thread(() => Thread.Sleep(300));
flush.Start();
flush.Join(100); // expect: THR008
Console.WriteLine($"hazard: went on after the timeout; the thread still running: {flush.IsAlive}");
flush.Join();

// Fixed: the answer decides what happens next.
var save = new Thread(() => Thread.Sleep(300));
save.Start();
if (!save.Join(TimeSpan.FromMilliseconds(100)))
{
    Console.WriteLine("fixed: not finished after 100 ms; waiting for it");
    save.Join();
}

// Not flagged: Join() and Join(Timeout.Infinite) return only when the thread has ended, and `_ =` says that going on
// regardless is intended.
var log = new Thread(() => Thread.Sleep(10));
log.Start();
_ = log.Join(1000);
log.Join(Timeout.Infinite);
log.Join();

Console.WriteLine("Done.");
