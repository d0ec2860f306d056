/// The preset dictionary of codec 2 (`deflateText`, docs/bytecode.md): text
/// that DEFLATE sees as if it came just before the section, so the first
/// "please press" or "thank you for calling" of a small string pool is a
/// back-reference of two or three bytes instead of its letters.
///
/// It is written for phone menus in general (greetings, menu options, hold
/// and transfer messages, hours, capture prompts and their errors, a few
/// time zones and languages), not from any one project, and ends with the
/// five built-in variable names as the pool stores them: every pool starts
/// with them. Phrases used most often come last, where back-references are
/// shortest.
///
/// Part of format 2: a bundle's strings inflate correctly only with these
/// exact bytes (`TextDictionaryTests` pins their length and CRC-32). A change
/// needs a new codec number or a new major version.
public enum TextDictionary {
    /// The dictionary: the UTF-8 of `phrases`, then `caller called flow
    /// language voice`, each followed by the pool's separator byte `FF`.
    public static let bytes: [UInt8] = {
        var out = Array(phrases.utf8)
        for name in ["caller", "called", "flow", "language", "voice"] {
            out += Array(name.utf8)
            out.append(StringPoolCoding.separator)
        }
        return out
    }()

    static let phrases = """
        America/New_York America/Chicago America/Denver America/Los_Angeles America/Phoenix America/Toronto \
        Europe/London Europe/Paris Europe/Berlin Europe/Madrid en-US en-GB es-US es-ES es-MX fr-FR fr-CA de-DE \
        https://api.example.com/ http://localhost:8080/ sip: @example.com conference voicemail operator reception \
        support sales billing main-menu start goodbye transfer-failed after-hours closed holiday weekdays \
        account-number pin ^[0-9]{4}$ ^[0-9]{6}$ ^[0-9]{10}$ ^[0-9]+$ {"account": "status": "ok", "id": \

        Merci d'avoir appelé. Pour le français, appuyez sur le 1. Veuillez patienter, nous vous mettons en \
        relation avec un conseiller. Pour joindre le service client, appuyez sur le 2. Au revoir.
        Gracias por llamar. Para español, oprima el número dos. Para hablar con un representante, oprima cero. \
        Por favor, espere mientras transferimos su llamada. Para repetir este menú, oprima la tecla de asterisco. \
        Lo sentimos, esa opción no es válida. Adiós.
        Für Deutsch drücken Sie die 3. Bitte warten Sie. Vielen Dank für Ihren Anruf.
        Please say or enter your phone number, including the area code. Enter your date of birth as two digits \
        for the month, two digits for the day and four digits for the year. Enter your order number.
        Your current balance is dollars and cents. Your payment is due on. Your order has shipped. Your \
        appointment is confirmed. Your reference number is. We could not find an account with that number.
        Our business hours are Monday through Friday from 8 a.m. to 5 p.m., and Saturday from 9 a.m. to noon. \
        We are closed on Sundays and public holidays. Our office is now closed. Please call back during \
        business hours, or visit our website.
        All of our representatives are currently assisting other callers. Your call is important to us. Please \
        stay on the line and your call will be answered in the order it was received. The estimated wait time is
        For emergencies, please hang up and dial 911. If this is a medical emergency, hang up and call 911.
        Please leave your name, phone number and a brief message after the tone, and we will return your call \
        as soon as possible. When you are finished, you may hang up or press pound for more options.
        To check your account balance, press 1. To make a payment, press 2. To report a lost or stolen card, \
        press 3. To hear your recent transactions, press 4. For information about our products and services, \
        press 5. For our hours and location, press 6. For new customers, press 1. For existing customers, press 2.
        Please enter your account number, followed by the pound key. Please enter your 4-digit PIN, then press \
        hash. Please enter the extension of the person you are trying to reach. Enter your ZIP code.
        The number you entered is not valid. That PIN is not correct. I'm sorry, I didn't get that. Sorry, I did \
        not understand your entry. Please try again. We were unable to verify your account. Too many attempts. \
        Please try again later. You entered
        Please hold while I transfer your call. Please hold while we connect you to the next available agent. \
        Connecting you now. Transferring you to our voicemail. We could not complete your transfer. That line \
        is busy. No one is available to take your call.
        To schedule, change or cancel an appointment, press 1. For prescription refills, press 2. For technical \
        support, press 4. For sales, press 1. For customer service, press 2. For the operator, press 0.
        If you know your party's extension, you may dial it at any time. To use our company directory, press 9. \
        To speak with a representative, press 0. To speak to someone in our office, please stay on the line.
        To hear these options again, press star. To repeat this menu, press star. To return to the main menu, \
        press pound. To go back to the previous menu, press star. Press 1 for yes, or 2 for no. Press 1 to \
        confirm, or 2 to re-enter.
        Sorry, that is not a valid option. Sorry, I didn't hear your selection.
        Thank you for calling. Welcome to the main menu. Please listen carefully, as our menu options have \
        changed. This call may be recorded for quality and training purposes. Thank you. Goodbye. \
        audio/welcome.wav audio/goodbye.wav .wav \

        """
}
