import { APPS, type Conversation } from "../apps.ts";

// Turns without an `assistant` reply are answered through a tool call (weather, flights).
export const TRAVEL: Conversation[] = [
  {
    slug: "lisbon-long-weekend",
    userId: "alice@example.com",
    app: APPS.travel,
    channel: "web",
    topic: "trip-planning",
    turns: [
      { user: "Hi! I'm planning a long weekend in Lisbon in mid-May. What's the weather like in Lisbon right now?" },
      { user: "Nice. Can you find flights from Boston to Lisbon on May 15?" },
      {
        user: "The TAP one looks good. Which neighborhood should I stay in?",
        assistant:
          "For a first visit I'd stay in **Chiado** or **Baixa**: central, walkable, and close to the trams and the river. " +
          "If you want more character (and don't mind hills), **Alfama** is lovely in the evening with its fado bars. " +
          "**Príncipe Real** is quieter and has some of the best restaurants in town.",
      },
      {
        user: "Any day trips worth doing from there?",
        assistant:
          "Definitely **Sintra**: palaces and gardens, 40 minutes by train from Rossio (go early to beat the crowds). " +
          "**Cascais** is a relaxed beach town at the end of the coastal line from Cais do Sodré. " +
          "If you're into food, half a day in **Setúbal** for grilled fish is worth it.",
      },
      {
        user: "Is three days enough for Lisbon plus Sintra?",
        assistant:
          "Yes, that's a comfortable plan:\n1. Baixa, Chiado and the Alfama viewpoints.\n" +
          "2. Belém (tower, monastery, pastéis de nata) and LX Factory in the afternoon.\n3. Sintra, back in time for dinner.",
      },
      { user: "Perfect, thanks a lot!", assistant: "Enjoy Lisbon! Bring comfortable shoes: the hills and cobblestones are no joke." },
    ],
  },
  {
    slug: "tokyo-cherry-blossoms",
    userId: "bruno@example.com",
    app: APPS.travel,
    channel: "ios",
    topic: "trip-planning",
    turns: [
      { user: "We're going to Tokyo at the end of March. What's the weather in Tokyo looking like?" },
      {
        user: "Will the cherry blossoms be out by then?",
        assistant:
          "Most likely. In Tokyo the cherry trees usually open in the last week of March and peak in early April. " +
          "Ueno Park, Shinjuku Gyoen and the Meguro River are the classic spots; weekday mornings are much calmer.",
      },
      { user: "Find me flights from Paris to Tokyo on March 27" },
      {
        user: "Is the JR Pass still worth it if we're mostly in Tokyo with one trip to Kyoto?",
        assistant:
          "Probably not anymore. Since the 2023 price increase, a 7-day JR Pass costs more than a Tokyo–Kyoto round trip on the Shinkansen. " +
          "Buy those two tickets separately and use a Suica or Pasmo card for trains and the metro around Tokyo.",
      },
      {
        user: "What should we pack?",
        assistant:
          "Layers. Late March goes from about 8°C in the morning to 18°C in the afternoon, so: a light jacket, a sweater, " +
          "comfortable walking shoes (20,000 steps a day is normal), a compact umbrella, and a small bag for your trash since public bins are rare.",
      },
      {
        user: "Any restaurant tips near Shinjuku?",
        assistant:
          "Try **Omoide Yokocho** for yakitori in tiny smoky bars, **Fuunji** for tsukemen (expect a short queue), " +
          "and the food hall in the **Isetan** basement for a fancy picnic. For a sit-down dinner, book an izakaya a few days ahead; your hotel can call for you.",
      },
      {
        user: "Do we need cash?",
        assistant:
          "Bring some. Cards work in most of Tokyo now, but small restaurants, temples and shrines are often cash-only. " +
          "7-Eleven ATMs accept foreign cards and are everywhere.",
      },
      { user: "Great, thank you!", assistant: "You're welcome! Have a wonderful trip, and enjoy the sakura 🌸" },
    ],
  },
  {
    slug: "berlin-umbrella",
    userId: "bruno@example.com",
    app: APPS.travel,
    channel: "ios",
    topic: "weather",
    turns: [
      { user: "Do I need an umbrella in Berlin today?" },
      { user: "And what about the weather in Hamburg?" },
      { user: "Ok, umbrella it is. Thanks!", assistant: "Good call, stay dry out there! ☔" },
    ],
  },
  {
    slug: "barcelona-weekend",
    userId: "emeka@example.com",
    app: APPS.travel,
    channel: "android",
    topic: "trip-planning",
    turns: [
      { user: "What's the weather in Barcelona this weekend?" },
      { user: "Find flights from London to Barcelona on June 6" },
      {
        user: "Which area is good for nightlife but still quiet enough to sleep?",
        assistant:
          "**El Born** is the sweet spot: great cocktail bars and tapas on the main streets, but the side streets are calm after midnight. " +
          "Avoid staying right on Las Ramblas or in the Barceloneta party strip if you want sleep.",
      },
      {
        user: "What's one dish I have to try?",
        assistant:
          "Go for **arròs negre** (black rice with squid ink) at a seafood place in Barceloneta, and have **pa amb tomàquet** with jamón for breakfast at least once.",
      },
      { user: "Sounds amazing, thanks!", assistant: "Have a fantastic weekend in Barcelona!" },
    ],
  },
  {
    slug: "reykjavik-northern-lights",
    userId: "chen.wei@example.com",
    app: APPS.travel,
    channel: "ios",
    topic: "trip-planning",
    turns: [
      { user: "I'm thinking about Iceland in February to see the northern lights. What's the weather in Reykjavik right now?" },
      {
        user: "What are my chances of actually seeing the aurora?",
        assistant:
          "With 4–5 nights you have a good chance, but it depends on clear skies more than anything. " +
          "Check the aurora forecast on vedur.is each afternoon, get away from city lights, and stay flexible: " +
          "the best viewing is usually between 10 pm and 2 am.",
      },
      { user: "Find flights from New York to Reykjavik on February 12" },
      {
        user: "Should I rent a car or do tours?",
        assistant:
          "In February I'd book **tours** unless you're experienced with winter driving: roads can ice over quickly and storms close them. " +
          "A small-group northern lights tour will chase clear skies for you, and many offer a free retry if you see nothing.",
      },
      {
        user: "What should I wear?",
        assistant:
          "A thermal base layer, a fleece or wool mid layer, and a windproof, waterproof shell; plus a warm hat, gloves, and waterproof boots " +
          "with good grip. Bring a swimsuit too, for the geothermal pools.",
      },
      { user: "Thanks, this is really helpful.", assistant: "My pleasure! Fingers crossed for clear skies and a great show." },
    ],
  },
  {
    slug: "seattle-conference",
    userId: "dana@example.com",
    app: APPS.travel,
    channel: "ios",
    topic: "weather",
    turns: [
      { user: "Heading to Seattle for a conference next week. What's the forecast for Seattle?" },
      {
        user: "What should I pack for a 4-day conference trip?",
        assistant:
          "A water-resistant jacket (Seattleites rarely use umbrellas), two pairs of comfortable shoes, layers for cold conference rooms, " +
          "a portable charger, and a tote for swag. Business casual is the norm at most tech conferences there.",
      },
      { user: "Thanks, that's a good list.", assistant: "Have a great conference! Don't miss Pike Place Market if you get a free morning." },
    ],
  },
  {
    slug: "italy-honeymoon",
    userId: "dana@example.com",
    app: APPS.travel,
    channel: "web",
    topic: "trip-planning",
    turns: [
      {
        user: "Hi! My partner and I are planning our honeymoon in Italy in September. Where should we go for two weeks?",
        assistant:
          "Congratulations! September is a great month for Italy: warm, with fewer crowds than summer. A classic two-week loop is " +
          "**Rome → Florence and Tuscany → Amalfi Coast**. Tell me what you enjoy most and I'll tailor it.",
      },
      {
        user: "We love food and small towns more than big museums.",
        assistant:
          "Then spend less time in the cities and more in the countryside: two nights in Rome, a base in the **Val d'Orcia** (Pienza, Montepulciano, Montalcino) " +
          "for wine and pecorino, a day in Bologna for the food, and end on the coast.",
      },
      { user: "What's the weather in Florence right now?" },
      { user: "Find flights from Chicago to Rome on September 8" },
      {
        user: "How do we get from Rome to Florence?",
        assistant: "Take the high-speed train (Frecciarossa or Italo): about 1 h 35 min from Roma Termini to Firenze Santa Maria Novella. Book a few weeks ahead for the best fares.",
      },
      {
        user: "Is renting a car in Tuscany a good idea?",
        assistant:
          "Yes, for the countryside it's almost essential. Pick it up when you leave Florence rather than in the city, " +
          "and watch out for ZTL zones (limited traffic areas) in town centres: driving into one means a fine.",
      },
      {
        user: "Can you suggest a nice agriturismo area?",
        assistant:
          "Look around **Pienza** and **San Quirico d'Orcia**: rolling hills, cypress roads, and many family-run agriturismi with dinners made from their own produce. " +
          "**Chianti** between Florence and Siena is a great alternative if you want shorter drives.",
      },
      {
        user: "What about the Amalfi Coast, is it too crowded in September?",
        assistant:
          "It's busy in early September and calmer after the 15th. Stay in **Praiano** or **Minori** instead of Positano for a quieter base, " +
          "and use the ferries instead of the coastal bus.",
      },
      {
        user: "How should we split the two weeks?",
        assistant:
          "Something like: 3 nights in Rome, 1 in Florence, 4 in the Val d'Orcia with a day trip to Bologna, then 5 on the Amalfi Coast, " +
          "and a last night near Naples airport. That keeps you to five hotels.",
      },
      { user: "This is perfect. Grazie mille!", assistant: "Prego! Congratulations again, and have a wonderful honeymoon 💍" },
    ],
  },
  {
    slug: "chicago-snow-check",
    userId: "chen.wei@example.com",
    app: APPS.travel,
    channel: "android",
    topic: "weather",
    turns: [
      { user: "Is it going to snow in Chicago this week?" },
      { user: "And the forecast for Denver?" },
      { user: "Thanks, I'll bring a warm coat.", assistant: "Good idea! Safe travels." },
    ],
  },
  {
    slug: "cape-town-holiday",
    userId: "emeka@example.com",
    app: APPS.travel,
    channel: "android",
    topic: "trip-planning",
    turns: [
      { user: "Find flights from Lagos to Cape Town on December 19" },
      { user: "What's the weather in Cape Town right now?" },
      {
        user: "Is it safe to hike Table Mountain on our own?",
        assistant:
          "Yes, on popular routes like **Platteklip Gorge**, in daylight and in a group. Start early before the heat and the wind, " +
          "carry 2 litres of water each, check the cableway status for the way down, and don't hike if the 'tablecloth' cloud is rolling in.",
      },
      {
        user: "Which wine region is easiest as a day trip?",
        assistant: "**Stellenbosch**: under an hour's drive, dozens of estates close together, and great lunches. Book a driver or a wine tram in Franschhoek so nobody has to skip the tastings.",
      },
      { user: "Brilliant, thanks for the tips!", assistant: "Enjoy Cape Town, and say hi to the penguins at Boulders Beach! 🐧" },
    ],
  },
];
