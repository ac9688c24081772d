// The one message catalogue: every text a person reads comes from here, in Dutch.
const nl = {
  app: {
    name: 'Spiegel',
    tagline: 'Zelfevaluatie en organisatiescan voor de vrouwenopvang',
    neutralTitle: 'Vragenlijst',
  },
  errors: {
    badRequest: 'Het verzoek is niet goed opgebouwd.',
    malformedJson: 'De gegevens zijn geen geldige JSON.',
    unauthorized: 'Log eerst in.',
    badCredentials: 'Onbekend e-mailadres of onjuist wachtwoord.',
    forbidden: 'Je hebt geen toestemming voor deze handeling.',
    notFound: 'Niet gevonden.',
    gone: 'Deze vragenlijst is gesloten.',
    invitationUsed: 'Deze uitnodiging is al gebruikt.',
    tooLarge: 'De gegevens zijn te groot.',
    mediaType: 'Dit soort inhoud wordt hier niet geaccepteerd.',
    invalid: 'Niet alle antwoorden zijn geldig.',
    tooMany: 'Te veel pogingen. Probeer het over een paar minuten opnieuw.',
    csrf: 'Deze pagina is verlopen. Laad de pagina opnieuw en probeer het nog eens.',
    setupDone: 'Spiegel is al ingericht.',
    emailTaken: 'Er bestaat al een account met dit e-mailadres.',
    server: 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
    unknownField: 'Onbekend veld: {field}.',
    unknownInstrument: 'Onbekend instrument: {key}.',
    unknownQuestion: 'Deze vraag bestaat niet in de vragenlijst.',
    notAChoice: 'Dit antwoord hoort niet bij de keuzes van deze vraag.',
    notAList: 'Hier wordt een lijst van keuzes verwacht.',
    duplicateChoice: 'Een keuze staat er meer dan eens in.',
    exclusiveChoice: '‘{choice}’ kan niet samen met andere keuzes.',
    notText: 'Hier wordt tekst verwacht.',
    textTooLong: 'Deze tekst is te lang (hoogstens {max} tekens).',
    notAnObject: 'Hier worden antwoorden per rij verwacht.',
    unknownRow: 'Onbekende rij: {row}.',
    notBoolean: 'Hier wordt ja of nee verwacht.',
    outOfRange: 'Deze waarde valt buiten het bereik van de vraag.',
    notANumber: 'Hier wordt een getal verwacht.',
    required: 'Beantwoord deze vraag.',
    minGroupSize: 'De minimale groepsgrootte is {min}.',
  },
  fields: {
    organisation: 'Organisatie',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    passwordHint: 'Minstens 10 tekens.',
    label: 'Naam van de meting',
    instrument: 'Instrument',
    mode: 'Soort meting',
    series: 'Reeks (om metingen over de jaren te vergelijken)',
    minGroupSize: 'Minimale groepsgrootte',
    opensOn: 'Opent op',
    closesOn: 'Sluit op',
  },
  modes: {
    anonymous: 'Anoniem (één openbare link)',
    identified: 'Met uitnodigingen (persoonlijke links)',
  },
  statuses: { open: 'Open', closed: 'Gesloten' },
  roles: { admin: 'Beheerder', manager: 'Manager', viewer: 'Lezer' },
  nav: { waves: 'Metingen', logout: 'Uitloggen', login: 'Inloggen', skip: 'Naar de inhoud' },
  setup: {
    title: 'Spiegel inrichten',
    intro: 'Welkom. Maak de eerste organisatie en een beheerdersaccount aan. Daarna kun je inloggen en metingen starten.',
    submit: 'Inrichten',
  },
  login: { title: 'Inloggen', submit: 'Inloggen' },
  waves: {
    title: 'Metingen',
    none: 'Er zijn nog geen metingen.',
    new: 'Nieuwe meting',
    create: 'Meting aanmaken',
    responses: 'Antwoorden',
    link: 'Openbare link',
    linkHelp: 'Deel deze link met de deelnemers. De link verraadt niet waar de vragenlijst over gaat.',
    status: 'Status',
    close: 'Meting sluiten',
    reopen: 'Meting heropenen',
    perDay: 'Antwoorden per dag',
    version: 'versie',
  },
  respond: {
    quickExit: 'Snel weg',
    quickExitHelp: 'Druk twee keer op Escape of klik op ‘Snel weg’ om deze pagina direct te verlaten.',
    saving: 'Je antwoorden worden opgeslagen…',
    saved: 'Je antwoorden zijn opgeslagen. Dank je wel.',
    failed: 'Opslaan is niet gelukt. Controleer je verbinding en probeer het opnieuw.',
    retry: 'Opnieuw proberen',
    supportTitle: 'Hulp nodig?',
    supportDefault: 'Heb je te maken met huiselijk geweld, of maak je je zorgen? Bel Veilig Thuis: 0800-2000 (gratis en anoniem, 24 uur per dag).',
    closed: 'Deze vragenlijst is gesloten.',
    noScript: 'Deze vragenlijst heeft JavaScript nodig.',
  },
};

type Catalogue = typeof nl;
export const messages: Catalogue = nl;

/** Looks up a dotted key (`errors.notFound`) and fills `{name}` placeholders. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = nl;
  for (const part of key.split('.')) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  if (typeof node !== 'string') throw new Error(`Missing message: ${key}`);
  return node.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
