/**
 * Demo content for Leipzig: invented people and posts (German and English, every role and district), so a
 * newcomer sees a living city. Everything written from here is marked is_demo and removed by `npm run demo:clear`.
 */
import type { Role } from "~/lib/reference";

type DemoPerson = { name: string; role: Role; bio: string; offers: string[]; seeks: string[]; languages: string[]; english?: boolean };
type DemoPost = {
  kind: "offer" | "need";
  role: Role;
  title: string;
  description: string;
  skills: string[];
  category: "knowhow" | "space" | "equipment" | "materials" | "funding" | "project";
  exchange: "paid" | "volunteer" | "barter" | "time_credits" | "coop_share" | "open";
  remote?: boolean;
};

export const DEMO_PEOPLE: DemoPerson[] = [
  { name: "Lena Hoffmann", role: "craftsperson", bio: "Tischlerin mit eigener Werkstatt. Ich baue Möbel aus Altholz.", offers: ["Holzbearbeitung", "Möbelbau", "CNC-Fräsen"], seeks: ["Fotografie", "Grafikdesign"], languages: ["de", "en"] },
  { name: "Jonas Becker", role: "startup", bio: "Gründer von KompostKreis – wir holen Bioabfall per Lastenrad ab.", offers: ["Lastenradbau", "Kompostierung"], seeks: ["Fördermittelakquise", "Webentwicklung"], languages: ["de"] },
  { name: "Dr. Miriam Wolf", role: "scientist", bio: "Materialforscherin am UFZ, Schwerpunkt Lehm und Naturbaustoffe.", offers: ["Lehmbau", "Materialprüfung"], seeks: ["Holzbau", "Workshop-Moderation"], languages: ["de", "en", "fr"] },
  { name: "Karl Neumann", role: "craftsperson", bio: "Metallbauer und Schweißer, repariere alles was rollt.", offers: ["Schweißen", "Metallbearbeitung", "Fahrradreparatur"], seeks: ["Buchhaltung"], languages: ["de"] },
  { name: "Sophie Richter", role: "artist", bio: "Siebdruckerin und Illustratorin. Plakate, Shirts, Zines.", offers: ["Siebdruck", "Illustration", "Risografie"], seeks: ["Ausstellungsraum", "Fotografie"], languages: ["de", "en"] },
  { name: "Ahmed Yilmaz", role: "initiative", bio: "Koordiniere das Repair-Café im Leipziger Osten.", offers: ["Reparatur-Café organisieren", "Elektrogeräte reparieren"], seeks: ["Elektronik löten", "Ehrenamtskoordination"], languages: ["de", "tr", "en"] },
  { name: "Hanna Schulz", role: "initiative", bio: "Gemeinschaftsgarten Annalinde – wir gärtnern mitten in der Stadt.", offers: ["Urban Gardening", "Permakultur", "Gemüseanbau"], seeks: ["Hochbeetbau", "Imkerei"], languages: ["de"] },
  { name: "Felix Braun", role: "startup", bio: "Wir bauen Balkonkraftwerke für Mietwohnungen.", offers: ["Balkonkraftwerk-Installation", "Energieberatung"], seeks: ["Elektroinstallation", "Pressearbeit"], languages: ["de", "en"] },
  { name: "Clara Zimmermann", role: "artist", bio: "Keramikerin, offenes Atelier in Lindenau.", offers: ["Keramik", "Glasieren"], seeks: ["Keramikbrand", "Fotografie"], languages: ["de"] },
  { name: "Paul Krüger", role: "scientist", bio: "Informatiker, forscht zu Open Data für Städte.", offers: ["Datenanalyse", "Python"], seeks: ["Bürgerbeteiligung", "Grafikdesign"], languages: ["de", "en"] },
  { name: "Marie Lehmann", role: "craftsperson", bio: "Schneiderin, Upcycling von Arbeitskleidung.", offers: ["Nähen", "Schneidern", "Upcycling"], seeks: ["Textildruck", "Fotografie"], languages: ["de", "pl"] },
  { name: "Tom Schmitt", role: "startup", bio: "3D-Druck-Service für Ersatzteile.", offers: ["3D-Druck", "Produktdesign"], seeks: ["CNC-Fräsen", "Fördermittelakquise"], languages: ["de", "en"] },
  { name: "Greta Vogel", role: "initiative", bio: "Wir gründen eine Wohnungsgenossenschaft in Connewitz.", offers: ["Genossenschaftsgründung", "Gemeinnützigkeitsrecht"], seeks: ["Strohballenbau", "Passivhausplanung"], languages: ["de"] },
  { name: "Leon Hartmann", role: "craftsperson", bio: "Zimmermann, Fachwerk und Holzrahmenbau.", offers: ["Holzbau", "Zimmerei", "Fachwerksanierung"], seeks: ["Lehmbau", "Lehmputz"], languages: ["de"] },
  { name: "Emma Krause", role: "artist", bio: "Bühnenbildnerin am Schauspiel, nebenher freie Projekte.", offers: ["Bühnenbild", "Requisitenbau", "Lichtdesign"], seeks: ["Schweißen", "Holzbearbeitung"], languages: ["de", "en", "it"] },
  { name: "Noah Meier", role: "scientist", bio: "Agrarwissenschaftler, Bodenleben und Kompost.", offers: ["Kompostierung", "Wurmkompostierung"], seeks: ["Urban Gardening", "Videoproduktion"], languages: ["de", "en"] },
  { name: "Lina Schröder", role: "initiative", bio: "Leihladen Leipzig: Dinge leihen statt kaufen.", offers: ["Leihladen organisieren", "Ehrenamtskoordination"], seeks: ["Webentwicklung", "Lastenradverleih organisieren"], languages: ["de"] },
  { name: "Ben Fischer", role: "startup", bio: "App für Foodsharing in Hausgemeinschaften.", offers: ["Webentwicklung", "JavaScript"], seeks: ["Lebensmittelrettung", "Grafikdesign"], languages: ["de", "en"] },
  { name: "Ida Wagner", role: "artist", bio: "Fotografin, dokumentiere Leipziger Hinterhöfe.", offers: ["Fotografie", "Analogfotografie"], seeks: ["Buchbinden", "Ausstellungsgestaltung"], languages: ["de"] },
  { name: "Max Köhler", role: "craftsperson", bio: "Fahrradmechaniker, baue Lastenräder aus Stahl.", offers: ["Fahrradreparatur", "Lastenradbau", "Laufradbau"], seeks: ["Schweißen", "Pulverbeschichtung"], languages: ["de"] },
  { name: "Amelie Schuster", role: "scientist", bio: "Stadtplanerin, forscht zu Zwischennutzung.", offers: ["Zwischennutzung", "Bürgerbeteiligung"], seeks: ["Kartierung", "Fotografie"], languages: ["de", "en", "es"] },
  { name: "Elias Frank", role: "craftsperson", bio: "Elektriker mit Faible für Solar.", offers: ["Elektroinstallation", "Balkonkraftwerk-Installation"], seeks: ["Energieberatung"], languages: ["de"] },
  { name: "Mila Berger", role: "artist", bio: "Tänzerin und Tanzpädagogin.", offers: ["Tanzpädagogik", "Veranstaltungsorganisation"], seeks: ["Probenraum", "Videoproduktion"], languages: ["de", "en"] },
  { name: "Finn Winkler", role: "startup", bio: "Wir recyceln Kunststoff zu Platten für Möbel.", offers: ["Kunststoffrecycling im Kleinmaßstab", "Produktdesign"], seeks: ["Möbelbau", "Fördermittelakquise"], languages: ["de", "en"] },
  { name: "Ella Lorenz", role: "initiative", bio: "Nachbarschaftsverein in Grünau.", offers: ["Quartiersmanagement", "Vereinsgründung"], seeks: ["Urban Gardening", "Theaterpädagogik"], languages: ["de", "ru"] },
  { name: "Anton Baumann", role: "craftsperson", bio: "Steinmetz und Trockenmauerbauer.", offers: ["Steinmetzarbeiten", "Trockenmauerbau"], seeks: ["Fotografie"], languages: ["de"] },
  { name: "Frieda Albrecht", role: "scientist", bio: "Biologin, Wildbienen und Stadtnatur.", offers: ["Wildbienenschutz", "Umweltbildung"], seeks: ["Naturgartenplanung", "Illustration"], languages: ["de", "en"] },
  { name: "Oskar Simon", role: "startup", bio: "Mobile Saftpresse für Streuobstwiesen.", offers: ["Obstbaumschnitt", "Einkochen"], seeks: ["Fahrzeugausbau", "Crowdfunding"], languages: ["de"] },
  { name: "Luisa Ludwig", role: "artist", bio: "Buchbinderin und Papierschöpferin.", offers: ["Buchbinden", "Papierschöpfen"], seeks: ["Risografie", "Kalligrafie"], languages: ["de", "fr"] },
  { name: "Henry Böhm", role: "craftsperson", bio: "Polsterer in dritter Generation.", offers: ["Polsterei", "Möbelrestaurierung"], seeks: ["Textildruck", "Webentwicklung"], languages: ["de"] },
  { name: "Maya Peters", role: "initiative", bio: "Organisiere Kleidertauschpartys und Nähtreffs.", offers: ["Kleidertausch organisieren", "Nähen"], seeks: ["Veranstaltungsorganisation", "Raumgestaltung"], languages: ["de", "en"] },
  { name: "Emil Jung", role: "scientist", bio: "Physiker, Gebäudethermografie und Energie.", offers: ["Gebäudethermografie", "Luftdichtheitsmessung"], seeks: ["Altbausanierung", "Dämmung mit Naturbaustoffen"], languages: ["de", "en"] },
  { name: "Nora Hahn", role: "artist", bio: "Street-Art und Wandmalerei für Höfe und Schulen.", offers: ["Wandmalerei", "Street-Art"], seeks: ["Gerüstbau", "Fördermittelakquise"], languages: ["de"] },
  { name: "Theo Schubert", role: "craftsperson", bio: "Drechsler und Holzschnitzer.", offers: ["Drechseln", "Holzschnitzerei"], seeks: ["Fotografie", "Onlinehandel"], languages: ["de"] },
  { name: "Johanna Keller", role: "startup", bio: "Co-Working mit Werkstatt in Plagwitz.", offers: ["Makerspace-Betrieb", "Werkstattpädagogik"], seeks: ["Laserschneiden", "Elektronik-Prototyping"], languages: ["de", "en"] },
  { name: "Moritz Roth", role: "scientist", bio: "Soziologe, Genossenschaften und Gemeingüter.", offers: ["Genossenschaftsgründung", "Community Organizing"], seeks: ["Podcast-Produktion"], languages: ["de", "en"] },
  { name: "Charlotte Beck", role: "artist", bio: "Kostümbildnerin, näht für freie Theater.", offers: ["Kostümbild", "Schnittmustererstellung"], seeks: ["Stoffe", "Pflanzenfärben"], languages: ["de"] },
  { name: "Jakob Fuchs", role: "craftsperson", bio: "Lehmbauer, Lehmöfen und Lehmputz.", offers: ["Lehmbau", "Lehmputz", "Lehmofenbau"], seeks: ["Holzbau", "Workshop-Moderation"], languages: ["de"] },
  { name: "Pia Scholz", role: "initiative", bio: "Solidarische Landwirtschaft am Stadtrand.", offers: ["Solidarische Landwirtschaft", "Gemüseanbau"], seeks: ["Kühlraum", "Lastenradbau"], languages: ["de", "en"] },
  { name: "Samuel Graf", role: "startup", bio: "Software für Nachbarschaftsenergie.", offers: ["Softwareentwicklung", "Datenanalyse"], seeks: ["Energieberatung", "Bürgerbeteiligung"], languages: ["de", "en"] },
  // English-speaking newcomers write in English.
  { name: "Grace O'Neill", role: "scientist", bio: "Environmental engineer from Dublin, working on rainwater reuse.", offers: ["rainwater harvesting", "greywater reuse"], seeks: ["earth building", "translation"], languages: ["en", "de"], english: true },
  { name: "Diego Fernández", role: "artist", bio: "Photographer and video maker, new in Leipzig.", offers: ["photography", "video production"], seeks: ["screen printing", "studio space"], languages: ["es", "en"], english: true },
  { name: "Priya Nair", role: "startup", bio: "Founder of a zero-waste catering start-up.", offers: ["cooking for groups", "fermentation"], seeks: ["food rescue", "grant writing"], languages: ["en"], english: true },
  { name: "Tomasz Nowak", role: "craftsperson", bio: "Welder and blacksmith, I make tools and gates.", offers: ["welding", "blacksmithing"], seeks: ["woodworking", "photography"], languages: ["pl", "en", "de"], english: true },
  { name: "Amara Okafor", role: "initiative", bio: "I run a language café for newcomers.", offers: ["running a language café", "volunteer coordination"], seeks: ["event space", "graphic design"], languages: ["en", "de"], english: true },
  { name: "Lucas Martin", role: "scientist", bio: "Researcher in urban ecology.", offers: ["permaculture", "environmental education"], seeks: ["urban gardening", "beekeeping"], languages: ["fr", "en"], english: true },
  { name: "Sara Lindqvist", role: "artist", bio: "Ceramicist and glass artist from Malmö.", offers: ["ceramics", "glassblowing"], seeks: ["kiln firing", "woodworking"], languages: ["sv", "en"].filter((code) => code !== "sv"), english: true },
  { name: "Yusuf Demir", role: "startup", bio: "Cargo bike logistics for local shops.", offers: ["cargo bike building", "bicycle repair"], seeks: ["welding", "crowdfunding"], languages: ["tr", "de", "en"], english: true },
  { name: "Olivia Brown", role: "initiative", bio: "Community organiser for a tenants' cooperative.", offers: ["founding a cooperative", "community organizing"], seeks: ["grant writing", "facilitation"], languages: ["en"], english: true },
  { name: "Kenji Sato", role: "craftsperson", bio: "Furniture maker, Japanese joinery.", offers: ["woodworking", "furniture making"], seeks: ["timber construction", "laser cutting"], languages: ["en", "de"], english: true },
  { name: "Rosa Kühn", role: "artist", bio: "Musikerin und Tontechnikerin.", offers: ["Musikproduktion", "Tontechnik"], seeks: ["Probenraum", "Veranstaltungstechnik"], languages: ["de"] },
  { name: "Victor Engel", role: "craftsperson", bio: "Maler und Lackierer, Naturfarben.", offers: ["Malerarbeiten", "Naturfarben"], seeks: ["Stuckarbeiten", "Fotografie"], languages: ["de"] },
  { name: "Alma Horn", role: "scientist", bio: "Ökonomin, Kreislaufwirtschaft.", offers: ["Kreislaufwirtschaft", "Datenanalyse"], seeks: ["Upcycling", "Kunststoffrecycling im Kleinmaßstab"], languages: ["de", "en"] },
  { name: "Leo Kraus", role: "startup", bio: "Tiny Houses aus Holz und Stroh.", offers: ["Tiny-House-Bau", "Holzrahmenbau"], seeks: ["Strohballenbau", "Photovoltaik"], languages: ["de"] },
  { name: "Matilda Schreiber", role: "initiative", bio: "Freies Radio und Podcast-Werkstatt.", offers: ["Freies Radio", "Podcast-Produktion"], seeks: ["Tontechnik", "Pressearbeit"], languages: ["de", "en"] },
  { name: "Karim Haddad", role: "craftsperson", bio: "Fliesenleger und Mosaikgestalter.", offers: ["Fliesenlegen", "Mosaikgestaltung"], seeks: ["Keramik", "Fördermittelakquise"], languages: ["ar", "de"] },
  { name: "Johanna Busch", role: "artist", bio: "Puppenspielerin mit mobiler Bühne.", offers: ["Puppenspiel", "Theaterpädagogik"], seeks: ["Requisitenbau", "Lastenradbau"], languages: ["de"] },
  { name: "Erik Sommer", role: "scientist", bio: "Bauingenieur, Holz und Recyclingbaustoffe.", offers: ["Holzbau", "Bauteilwiederverwendung"], seeks: ["Lehmbau", "Workshop-Moderation"], languages: ["de", "en"] },
  { name: "Nele Franke", role: "initiative", bio: "Foodsharing-Botschafterin im Süden.", offers: ["Lebensmittelrettung", "Ehrenamtskoordination"], seeks: ["Kühlraum", "Webentwicklung"], languages: ["de"] },
  { name: "Ruben Vogt", role: "startup", bio: "Verleih von Werkzeug per App.", offers: ["Softwareentwicklung", "Produktdesign"], seeks: ["Leihladen organisieren", "Fotografie"], languages: ["de", "en"] },
];

export const DEMO_POSTS: DemoPost[] = [
  { kind: "offer", role: "craftsperson", title: "Holzwerkstatt mit CNC-Fräse stundenweise", description: "Unsere Werkstatt hat Formatkreissäge, Hobelmaschine und eine CNC-Fräse (1250 × 2500 mm). Einweisung inklusive.", skills: ["Holzbearbeitung", "CNC-Fräsen"], category: "equipment", exchange: "paid" },
  { kind: "need", role: "startup", title: "Suchen Fördermittel-Profi für Kreislauf-Projekt", description: "Wir wollen beim Sächsischen Umweltfonds beantragen und brauchen jemanden, der Anträge kennt.", skills: ["Fördermittelakquise"], category: "knowhow", exchange: "coop_share" },
  { kind: "offer", role: "scientist", title: "Lehmproben im Labor prüfen", description: "Wir prüfen Lehm auf Korngröße, Schwindmaß und Festigkeit – für Bauprojekte und Initiativen kostenlos.", skills: ["Lehmbau", "Materialprüfung"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "initiative", title: "Wer baut mit uns Hochbeete?", description: "Für den Gemeinschaftsgarten suchen wir Menschen mit Holzerfahrung. Material ist da.", skills: ["Hochbeetbau", "Holzbearbeitung"], category: "knowhow", exchange: "volunteer" },
  { kind: "offer", role: "artist", title: "Siebdruckwerkstatt teilen", description: "Zwei Drucktische, Belichter und Farben. Wir teilen gern gegen Mithilfe.", skills: ["Siebdruck", "Textildruck"], category: "space", exchange: "barter" },
  { kind: "need", role: "startup", title: "Schweißer*in für Lastenrad-Rahmen gesucht", description: "Prototyp steht, wir brauchen saubere WIG-Nähte für eine Kleinserie von 10 Rahmen.", skills: ["Schweißen", "Lastenradbau"], category: "knowhow", exchange: "paid" },
  { kind: "offer", role: "craftsperson", title: "Fahrräder reparieren im Hinterhof", description: "Jeden Samstag offene Fahrradwerkstatt. Werkzeug und Know-how gibt's, Ersatzteile gegen Spende.", skills: ["Fahrradreparatur"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "initiative", title: "Raum für Repair-Café gesucht", description: "Einmal im Monat, Samstagnachmittag, ca. 60 m², Strom und Tische.", skills: ["Reparatur-Café organisieren"], category: "space", exchange: "open" },
  { kind: "offer", role: "startup", title: "3D-Druck für Ersatzteile", description: "Wir drucken Ersatzteile aus PETG und Recycling-Filament. Für Repair-Cafés zum Selbstkostenpreis.", skills: ["3D-Druck", "Produktdesign"], category: "equipment", exchange: "paid" },
  { kind: "need", role: "artist", title: "Fotograf*in für Ausstellungskatalog", description: "Wir brauchen Fotos von 30 Keramikobjekten für einen kleinen Katalog.", skills: ["Fotografie"], category: "knowhow", exchange: "barter" },
  { kind: "offer", role: "initiative", title: "Genossenschaft gründen – wir erklären's", description: "Offener Abend zu Satzung, Prüfverband und Finanzierung einer Genossenschaft.", skills: ["Genossenschaftsgründung"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "initiative", title: "Strohballenhaus: Planer*innen gesucht", description: "Unsere Wohngruppe möchte ein Strohballenhaus bauen und sucht Planung und Erfahrung.", skills: ["Strohballenbau", "Passivhausplanung"], category: "project", exchange: "coop_share" },
  { kind: "offer", role: "craftsperson", title: "Zimmerei hilft bei Fachwerksanierung", description: "Wir beraten zu Schäden, Austausch von Balken und Lehmausfachung.", skills: ["Fachwerksanierung", "Holzbau"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "artist", title: "Metallbau für Bühnenbild", description: "Für eine Inszenierung im Frühjahr brauchen wir ein drehbares Stahlgestell.", skills: ["Schweißen", "Metallbearbeitung"], category: "knowhow", exchange: "paid" },
  { kind: "offer", role: "scientist", title: "Workshop: Kompost und Bodenleben", description: "Praxisworkshop für Gärten und Initiativen, mit Mikroskop.", skills: ["Kompostierung", "Umweltbildung"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "initiative", title: "Webseite für unseren Leihladen", description: "Wir suchen jemanden, der uns eine einfache Website mit Ausleihkalender baut.", skills: ["Webentwicklung"], category: "knowhow", exchange: "time_credits" },
  { kind: "offer", role: "startup", title: "Balkonkraftwerke: Beratung und Montage", description: "Wir beraten Mieter*innen und montieren Steckersolargeräte.", skills: ["Balkonkraftwerk-Installation", "Energieberatung"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "artist", title: "Brennofen für Keramik gesucht", description: "Ich suche Zugang zu einem Elektro-Brennofen bis 1280 °C, zweimal im Monat.", skills: ["Keramikbrand", "Keramik"], category: "equipment", exchange: "barter" },
  { kind: "offer", role: "craftsperson", title: "Restholz abzugeben", description: "Eiche und Lärche, Reststücke bis 1,5 m. Abholung in Plagwitz.", skills: ["Holzbearbeitung"], category: "materials", exchange: "volunteer" },
  { kind: "need", role: "startup", title: "Datenanalyse für Bioabfall-Touren", description: "Wir wollen unsere Abholrouten optimieren und suchen Unterstützung mit Python.", skills: ["Datenanalyse", "Python"], category: "knowhow", exchange: "paid" },
  { kind: "offer", role: "artist", title: "Illustrationen für soziale Projekte", description: "Ich zeichne Plakate und Flyer für Initiativen – gegen Tausch oder kleines Honorar.", skills: ["Illustration", "Plakatgestaltung"], category: "knowhow", exchange: "barter" },
  { kind: "need", role: "scientist", title: "Moderation für Beteiligungsworkshop", description: "Stadtteilworkshop zu Zwischennutzung, ca. 40 Teilnehmende.", skills: ["Workshop-Moderation", "Bürgerbeteiligung"], category: "knowhow", exchange: "paid" },
  { kind: "offer", role: "initiative", title: "Gemeinschaftsgarten sucht Mitgärtner*innen", description: "Wir haben noch Beete frei und teilen Werkzeug und Saatgut.", skills: ["Urban Gardening", "Saatgutvermehrung"], category: "space", exchange: "volunteer" },
  { kind: "need", role: "craftsperson", title: "Lehmputz lernen", description: "Ich möchte für meine Altbauwohnung Lehmputz lernen und suche einen Kurs oder Mentor.", skills: ["Lehmputz"], category: "knowhow", exchange: "time_credits" },
  { kind: "offer", role: "craftsperson", title: "Schweißkurs für Anfänger*innen", description: "Vier Abende MAG-Schweißen in unserer Werkstatt.", skills: ["Schweißen"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "initiative", title: "Lastenrad für Foodsharing", description: "Wir suchen ein gebrauchtes Lastenrad oder jemanden, der eins mit uns baut.", skills: ["Lastenradbau", "Lebensmittelrettung"], category: "equipment", exchange: "open" },
  { kind: "offer", role: "scientist", title: "Thermografie für Altbauten", description: "Mit Wärmebildkamera finden wir Wärmebrücken – für Hausgemeinschaften im Winter.", skills: ["Gebäudethermografie"], category: "equipment", exchange: "open" },
  { kind: "need", role: "artist", title: "Probenraum für Tanzprojekt", description: "Suche hellen Raum mit Schwingboden, drei Abende pro Woche.", skills: ["Tanzpädagogik"], category: "space", exchange: "paid" },
  { kind: "offer", role: "startup", title: "Recyclingplatten aus Kunststoff", description: "Bunte Platten 1 × 1 m aus Deckeln – ideal für Möbel und Schilder.", skills: ["Kunststoffrecycling im Kleinmaßstab"], category: "materials", exchange: "paid" },
  { kind: "need", role: "startup", title: "Crowdfunding-Kampagne mitgestalten", description: "Für unsere mobile Saftpresse planen wir ein Crowdfunding und suchen Erfahrung.", skills: ["Crowdfunding", "Videoproduktion"], category: "funding", exchange: "coop_share" },
  { kind: "offer", role: "artist", title: "Buchbinde-Workshop", description: "Hefte und Bücher selbst binden – Material inklusive.", skills: ["Buchbinden"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "craftsperson", title: "Onlineshop für Drechselarbeiten", description: "Ich suche Hilfe beim Aufbau eines kleinen Onlineshops.", skills: ["Webentwicklung", "Fotografie"], category: "knowhow", exchange: "barter" },
  { kind: "offer", role: "initiative", title: "Vereinsgründung: Mustersatzung und Beratung", description: "Wir helfen neuen Vereinen bei Satzung und Gemeinnützigkeit.", skills: ["Vereinsgründung", "Gemeinnützigkeitsrecht"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "scientist", title: "Illustration für Wildbienen-Broschüre", description: "Wir brauchen 12 Zeichnungen heimischer Wildbienen.", skills: ["Illustration", "Wildbienenschutz"], category: "knowhow", exchange: "paid" },
  { kind: "offer", role: "craftsperson", title: "Laserschneider im Makerspace", description: "CO2-Laser 60 W für Holz, Acryl, Pappe. Einweisung jeden Dienstag.", skills: ["Laserschneiden"], category: "equipment", exchange: "paid" },
  { kind: "need", role: "initiative", title: "Wandbild für die Schulhofmauer", description: "Unsere Grundschule wünscht sich ein Wandbild, gemeinsam mit den Kindern.", skills: ["Wandmalerei", "Street-Art"], category: "project", exchange: "open" },
  { kind: "offer", role: "startup", title: "Software für Energiegemeinschaften", description: "Open-Source-Tool für Mieterstrom-Abrechnung, wir suchen Pilotprojekte.", skills: ["Softwareentwicklung"], category: "project", exchange: "open", remote: true },
  { kind: "need", role: "initiative", title: "Kühlraum für gerettete Lebensmittel", description: "Wir suchen einen Kühlraum oder große Kühlschränke im Leipziger Süden.", skills: ["Lebensmittelrettung"], category: "space", exchange: "open" },
  // English posts
  { kind: "offer", role: "scientist", title: "Rainwater harvesting advice for community gardens", description: "I can help plan rainwater tanks and greywater reuse for gardens and housing projects.", skills: ["rainwater harvesting", "greywater reuse"], category: "knowhow", exchange: "volunteer" },
  { kind: "need", role: "artist", title: "Looking for a screen printing workshop", description: "I want to print a small series of posters for my photo exhibition.", skills: ["screen printing"], category: "space", exchange: "barter" },
  { kind: "offer", role: "artist", title: "Photo and video for your project", description: "Portraits, event photos and short documentaries for initiatives and start-ups.", skills: ["photography", "video production"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "startup", title: "Help with grant writing for zero-waste catering", description: "We want to apply for EU funding and need someone who knows the process.", skills: ["grant writing"], category: "funding", exchange: "coop_share", remote: true },
  { kind: "offer", role: "craftsperson", title: "Blacksmithing and welding on request", description: "Gates, railings, tools – I forge and weld in my workshop in the east.", skills: ["welding", "blacksmithing"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "initiative", title: "Space for our language café", description: "We meet every Thursday evening with 20–30 people and need a friendly room.", skills: ["running a language café"], category: "space", exchange: "open" },
  { kind: "offer", role: "scientist", title: "Permaculture design course", description: "Six sessions on designing small urban gardens with permaculture principles.", skills: ["permaculture", "environmental education"], category: "knowhow", exchange: "paid" },
  { kind: "need", role: "artist", title: "Access to a kiln for glass and ceramics", description: "Looking for kiln time twice a month, happy to share costs.", skills: ["kiln firing", "ceramics"], category: "equipment", exchange: "paid" },
  { kind: "offer", role: "startup", title: "Cargo bike deliveries for local shops", description: "We deliver within the city by cargo bike and build bikes for others too.", skills: ["cargo bike building"], category: "equipment", exchange: "paid" },
  { kind: "need", role: "craftsperson", title: "Looking for help with woodworking joints", description: "I want to learn traditional joinery for a timber frame shed.", skills: ["woodworking", "timber construction"], category: "knowhow", exchange: "time_credits" },
  { kind: "offer", role: "initiative", title: "Founding a cooperative: peer support group", description: "Monthly meetup for groups who want to found a housing or work cooperative.", skills: ["founding a cooperative", "community organizing"], category: "knowhow", exchange: "volunteer" },
];

/** Deterministic pseudo-random numbers, so every demo seed looks the same. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
