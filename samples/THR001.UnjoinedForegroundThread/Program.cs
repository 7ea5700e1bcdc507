// THR001: a foreground thread that is started and never joined keeps the process alive after Main returns.
using System.Threading;

Console.WriteLine("THR001 sample: main starts four workers.");

// Hazard: a foreground thread, started and never joined. Main returns, but the process waits for it.
var reporter = new Thread(() => Work("reporter"));
reporter.Start(); // expect: THR001

// Hazard: the inline form, which nothing can ever join.
new Thread(() => Work("inline")).Start(); // expect: THR001

// Hazard: the inline form over several lines; the warning sits on Start, the line of the call.
new Thread(() =>
{
    Work("poller");
})
{ Name = "poller" }.Start(); // expect: THR001

// Fixed: joined before Main returns, so the work is known to be finished.
var joined = new Thread(() => Work("joined"));
joined.Start();
joined.Join();

// Fixed: a background thread may be abandoned when the process ends.
var background = new Thread(() => Work("background")) { IsBackground = true };
background.Start();

Console.WriteLine("Main returns now; the three unjoined foreground threads keep the process alive.");

static void Work(string name)
{
    Thread.Sleep(200);
    Console.WriteLine($"{name} finished");
}
