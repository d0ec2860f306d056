import Foundation
import IVRBytecode

/// `CallDriver` for the scripted caller, without suspending: `ivrc test`
/// runs thousands of calls whose backend answers every effect at once
/// (`ScriptedBackend` never waits) on an interpreter that is a synchronous
/// step function, so one plain loop runs the call. Each effect is performed
/// and handed back to the session exactly as `CallDriver.perform` does it
/// (the tests compare the reports of both drivers); the backend's `live`
/// webhooks need the async driver, so a webhook with no canned answer fails
/// here as it does there without `live`.
enum ScriptedCallDriver {
    static func run(_ bundle: VerifiedBundle, flow: Int, backend: ScriptedBackend, caller: String) -> CallReport {
        let session = CallSession(bundle: bundle, flow: flow, caller: caller, called: nil, start: backend.now, trace: false)
        while let effect = session.next(now: backend.now), perform(effect, session, backend) {}
        return session.report(end: backend.now)
    }

    /// Performs one effect on the backend and hands the answer to the
    /// session; false when the call is over.
    static func perform(_ effect: Effect, _ session: CallSession, _ backend: ScriptedBackend) -> Bool {
        do {
            switch effect {
            case .collect(let request):
                do {
                    session.collected(request, try backend.collect(request))
                } catch let hungUp as CallerHungUp {
                    session.played(request.prompts.prefix(hungUp.promptsStarted))
                    throw hungUp
                }
            case .transfer(let request):
                return !session.transferred(request, try backend.transfer(request))
            case .webhook(let request):
                session.answered(request, Result { () throws(WebhookFailure) in try backend.cannedWebhook(request) })
            case .hangup:
                backend.hangup()
                return false
            case .play(let file, let transcript): backend.play(file: file, transcript: transcript)
            case .say(let text, let voice, let language): backend.say(text: text, voice: voice, language: language)
            case .record(let request): session.recorded(try backend.record(request))
            case .waitCallee(let wait): session.waited(wait, heard: backend.waitForCallee(wait))
            default: break  // observations: the session recorded them
            }
            return true
        } catch {
            session.callerHungUp()
            return false
        }
    }
}
