// A labelled set of multi-turn conversations for the user_frustration evaluator, written for
// this purpose (not drawn from its word lists): smooth ones, frustrated in different ways, broken
// by errors, negative about the world but not the assistant, mixed, in four languages. Each has
// its label and, when frustrated, the first turn (1-based) where the user got frustrated.
// `failAt`: the turns (1-based) whose trace failed.

export interface LabelledConversation {
  id: string;
  language: "en" | "es" | "de" | "fr";
  label: "frustrated" | "neutral" | "satisfied";
  firstFrustrated?: number;
  failAt?: number[];
  /** [user, assistant]; an assistant of null answered nothing. */
  turns: Array<[string, string | null]>;
}

export const FRUSTRATION_SET: LabelledConversation[] = [
  // ---- smooth, satisfied ----
  { id: "en-pw-reset", language: "en", label: "satisfied", turns: [["How do I reset my password?", "Go to Settings > Security and choose Reset password."], ["Got it, thank you!", "You're welcome."]] },
  { id: "en-order-status", language: "en", label: "satisfied", turns: [["Where's order 4471?", "It shipped yesterday and arrives Thursday."], ["Can I get the tracking link?", "Here it is: ups.com/track/1Z999."], ["Perfect, thanks a lot", "Happy to help!"]] },
  { id: "en-recipe", language: "en", label: "satisfied", turns: [["Give me a quick pasta recipe for two", "Spaghetti aglio e olio: garlic, olive oil, chili, parsley. 15 minutes."], ["Can I add shrimp?", "Yes, sauté them with the garlic for 3 minutes."], ["Sounds delicious, appreciate it", "Enjoy your meal!"]] },
  { id: "en-sql", language: "en", label: "satisfied", turns: [["How do I count distinct users per day in SQL?", "SELECT date(ts), count(DISTINCT user_id) FROM events GROUP BY 1;"], ["And only for last week?", "Add WHERE ts >= now() - interval '7 days'."], ["That works, great", "Glad it helped."]] },
  { id: "en-travel", language: "en", label: "satisfied", turns: [["What's a good time to visit Lisbon?", "Spring and early autumn: mild weather, fewer crowds."], ["Any neighborhood to stay in?", "Alfama for charm, Príncipe Real for quiet."], ["Awesome, that's really helpful", "Have a great trip!"]] },
  { id: "en-billing", language: "en", label: "satisfied", turns: [["Can I switch to annual billing?", "Yes, under Billing > Plan, choose Annual; you get two months free."], ["Done, thanks!", "Enjoy the savings."]] },
  { id: "en-error-recovered", language: "en", label: "satisfied", failAt: [1], turns: [["Summarize this contract for me", null], ["Let's try once more: summarize the contract I attached", "It's a 12-month lease with a 2-month notice period."], ["Great, exactly what I needed", "Anytime."]] },
  { id: "es-envio", language: "es", label: "satisfied", turns: [["¿Cuándo llega mi pedido 5521?", "Llega el viernes por la mañana."], ["Perfecto, muchas gracias", "¡De nada!"]] },
  { id: "es-receta", language: "es", label: "satisfied", turns: [["Dame una receta de gazpacho", "Tomate, pepino, pimiento, ajo, aceite y vinagre, todo triturado y frío."], ["Genial, me sirvió mucho", "¡Que aproveche!"]] },
  { id: "de-konto", language: "de", label: "satisfied", turns: [["Wie ändere ich meine E-Mail-Adresse?", "Unter Profil > Konto können Sie sie bearbeiten."], ["Danke, hat geholfen!", "Gern geschehen."]] },
  { id: "de-reise", language: "de", label: "satisfied", turns: [["Welcher Zug fährt morgen früh nach Hamburg?", "Der ICE um 7:04 Uhr ab Berlin Hbf."], ["Super, vielen Dank", "Gute Reise!"]] },
  { id: "fr-commande", language: "fr", label: "satisfied", turns: [["Où en est ma commande 8812 ?", "Elle a été expédiée hier, livraison jeudi."], ["Parfait, merci beaucoup", "Avec plaisir !"]] },
  { id: "fr-meteo", language: "fr", label: "satisfied", turns: [["Quel temps fera-t-il à Lyon demain ?", "Ensoleillé, 24 degrés."], ["Génial, merci", "Bonne journée !"]] },
  { id: "en-coding-long", language: "en", label: "satisfied", turns: [["Why does my React effect run twice?", "In development StrictMode mounts components twice to surface side effects."], ["Is it safe to ignore?", "Yes, it doesn't happen in production builds."], ["Should I remove StrictMode?", "Better to keep it and make effects idempotent."], ["Makes sense, thanks", "You're welcome!"]] },

  // ---- neutral: no frustration, no thanks ----
  { id: "en-neutral-facts", language: "en", label: "neutral", turns: [["What's the capital of Australia?", "Canberra."], ["And its population?", "About 460,000."]] },
  { id: "en-neutral-task", language: "en", label: "neutral", turns: [["Translate 'good morning' to Italian", "Buongiorno."], ["And to Japanese?", "Ohayō gozaimasu."], ["ok", "Anything else?"]] },
  { id: "en-neutral-leave", language: "en", label: "neutral", turns: [["What are your opening hours?", "9am to 6pm, Monday to Saturday."]] },
  { id: "en-neutral-followups", language: "en", label: "neutral", turns: [["List three sorting algorithms", "Quicksort, mergesort, heapsort."], ["Which is stable?", "Mergesort."], ["What's its complexity?", "O(n log n) in all cases."]] },
  { id: "es-neutral", language: "es", label: "neutral", turns: [["¿Qué hora es en Tokio?", "Son las 22:00."], ["¿Y en Sídney?", "Son las 23:00."]] },
  { id: "de-neutral", language: "de", label: "neutral", turns: [["Wie viele Einwohner hat Wien?", "Etwa zwei Millionen."], ["Und Graz?", "Rund 300.000."]] },
  { id: "fr-neutral", language: "fr", label: "neutral", turns: [["Combien de jours en février 2028 ?", "29, c'est une année bissextile."], ["Et en 2027 ?", "28."]] },
  { id: "en-neutral-similar-followup", language: "en", label: "neutral", turns: [["How do I export a report as CSV?", "Open the report and click Export > CSV."], ["How do I export a report as PDF?", "Same menu: Export > PDF."]] },

  // ---- negative about the world, not the assistant ----
  { id: "en-world-flight", language: "en", label: "satisfied", turns: [["My flight got cancelled and I'm so angry, what are my options?", "You can rebook for free or request a refund."], ["Rebook me on the next one please", "Done: tomorrow 8:10am, seat 14C."], ["Thank you, that's a relief", "Safe travels."]] },
  { id: "en-world-sad", language: "en", label: "neutral", turns: [["My dog died last week and I feel terrible. How do I cope?", "I'm sorry. Allow yourself to grieve; talking to friends helps."], ["It's so hard", "It is. Grief takes time."]] },
  { id: "en-world-boss", language: "en", label: "satisfied", turns: [["My boss is awful and I hate this job. Help me write a polite resignation letter", "Here's a draft: Dear ..., I am writing to resign ..."], ["That's great, thanks", "Good luck with what comes next."]] },
  { id: "es-mundo", language: "es", label: "neutral", turns: [["Estoy furioso, me robaron la bici. ¿Cómo hago una denuncia?", "Puedes hacerla en comisaría o en línea en la web de la policía."]] },
  { id: "de-welt", language: "de", label: "satisfied", turns: [["Mein Zug ist schon wieder ausgefallen, so ein Mist. Gibt es eine Alternative?", "Der Regionalexpress um 9:15 fährt noch."], ["Danke, das passt", "Gute Fahrt!"]] },

  { id: "en-world-landlord", language: "en", label: "satisfied", turns: [["I'm so frustrated with my landlord, he ignores the broken heater. Draft an email to him?", "Subject: Urgent repair request ... Dear Mr. Lee, the heater has been broken since ..."], ["Perfect, sending it now", "Good luck!"]] },
  { id: "fr-monde", language: "fr", label: "neutral", turns: [["Je suis en colère, mon vol est annulé. Quelles sont mes options ?", "Vous pouvez être remboursé ou changer de vol sans frais."]] },

  // ---- frustrated: complaints about the answers ----
  { id: "en-complaint-not-asked", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["How do I cancel my subscription?", "Our premium plan includes unlimited storage!"], ["That's not what I asked. How do I cancel?", "You can upgrade anytime from settings."], ["Unbelievable.", "Is there anything else?"]] },
  { id: "en-complaint-repeat", language: "en", label: "frustrated", firstFrustrated: 3, turns: [["Can you summarize chapter 3?", "Chapter 3 introduces the main character."], ["More detail please", "Chapter 3 introduces the main character."], ["You already said that", "Chapter 3 introduces the main character."]] },
  { id: "en-complaint-useless", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Why is my invoice higher this month?", "Invoices reflect your usage."], ["That's useless, which line item went up?", "Please check your invoice."]] },
  { id: "en-complaint-wrong", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["What's 15% of 80?", "15% of 80 is 15."], ["That's wrong, it's 12", "You're right, 12."]] },
  { id: "en-complaint-sarcasm", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["I need the refund form", "Here is a link to our FAQ."], ["Oh great, another link to the FAQ. Thanks for nothing.", "Glad I could help!"]] },
  { id: "en-complaint-going-nowhere", language: "en", label: "frustrated", firstFrustrated: 3, turns: [["My app crashes on startup", "Try restarting your phone."], ["Did that, still crashes", "Try reinstalling the app."], ["This is going nowhere. You're not helping at all.", "I'm sorry to hear that."]] },

  // ---- frustrated: repeating or rephrasing a request that was not answered ----
  { id: "en-rephrase", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["How do I change the shipping address on my order?", "We ship to over 50 countries."], ["How can I change the shipping address on an existing order?", "Shipping is free over $50."], ["hello??", "How can I help?"]] },
  { id: "en-repeat-exact", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["what is the refund deadline", "Our store opens at 9am."], ["what is the refund deadline", "We have great deals this week."]] },
  { id: "en-rephrase-after-error", language: "en", label: "frustrated", firstFrustrated: 2, failAt: [1], turns: [["Book a table for four at 8pm", null], ["Book a table for four people at 8pm tonight", "Sorry, something went wrong."], ["Forget it, I'll call them myself.", null]] },
  { id: "en-repeat-caps", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["When does my plan renew?", "Plans come in monthly and annual options."], ["WHEN DOES MY PLAN RENEW", "Plans come in monthly and annual options."]] },
  { id: "en-rephrase-polite", language: "en", label: "frustrated", firstFrustrated: 3, turns: [["Where can I download my tax documents?", "Tax rules vary by country."], ["I mean the 1099 form from my account", "Please consult a tax advisor."], ["I just want to download my 1099 form from my account, where is it?", "Tax rules vary by country."]] },

  // ---- frustrated: asking for a person ----
  { id: "en-human", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["My card was charged twice", "Charges can take 3-5 days to settle."], ["I want to talk to a real person", "I'm here to help!"]] },
  { id: "en-human-agent", language: "en", label: "frustrated", firstFrustrated: 3, turns: [["Can you unlock my account?", "For security reasons I can't unlock accounts."], ["Then how do I unlock it?", "Please contact support."], ["Get me customer service now.", "You can reach support by email."]] },
  { id: "en-human-bot", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Is my package lost?", "Packages are usually delivered on time."], ["Are you a bot? Let me speak to someone.", "I'm a virtual assistant."]] },

  // ---- frustrated: shouting ----
  { id: "en-shout", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Why was I charged $99?", "Prices may change."], ["I NEVER AGREED TO THIS CHARGE!!!", "Prices may change."]] },
  { id: "en-shout-punct", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Is the outage fixed?", "We are aware of some issues."], ["Seriously?! It's been 6 hours!!!", "We are aware of some issues."]] },

  // ---- frustrated: broken by errors ----
  { id: "en-errors-leave", language: "en", label: "frustrated", firstFrustrated: 3, failAt: [2, 3], turns: [["Generate an invoice for client Acme", "Sure, for which month?"], ["October", null], ["October please", null]] },
  { id: "en-errors-angry", language: "en", label: "frustrated", firstFrustrated: 2, failAt: [1], turns: [["Convert this video to mp4", null], ["It failed AGAIN. This tool is terrible.", "Sorry about that, retrying."]] },

  // ---- frustrated: negative words aimed at the assistant ----
  { id: "en-directed-negative", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Write a haiku about autumn", "Leaves fall, the end."], ["Your answers are awful and lazy", "Here's another: Crimson leaves descend..."]] },
  { id: "en-directed-disappointed", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["Fix the bug in this function", "I changed the variable names."], ["I'm really disappointed with your answer, you didn't fix anything", "Let me look again."]] },

  // ---- mixed: frustrated, then resolved ----
  { id: "en-mixed-resolved", language: "en", label: "frustrated", firstFrustrated: 2, turns: [["How do I add a teammate?", "We offer team plans."], ["That's not what I asked, I already have a team plan", "Go to Team > Invite and enter their email."], ["Ok that worked, thanks", "Great!"]] },
  { id: "en-mixed-late", language: "en", label: "frustrated", firstFrustrated: 4, turns: [["Plan a 3-day trip to Rome", "Day 1: Colosseum, Day 2: Vatican, Day 3: Trastevere."], ["Add restaurants", "Day 1: Da Enzo, Day 2: Pizzarium, Day 3: Roscioli."], ["Now make it vegetarian", "Day 1: Da Enzo..."], ["You keep ignoring what I say. Vegetarian!", "Sorry: Day 1: Ops!, Day 2: Aromaticus..."]] },

  { id: "en-give-up", language: "en", label: "frustrated", firstFrustrated: 3, turns: [["How do I merge two PDFs on a Mac?", "PDF stands for Portable Document Format."], ["Yes but how do I merge them", "PDFs can be opened in many apps."], ["Never mind, I'll figure it out myself.", "Let me know if you need anything else!"]] },

  // ---- frustrated: Spanish, German, French ----
  { id: "es-repite", language: "es", label: "frustrated", firstFrustrated: 2, turns: [["¿Cuál es el plazo para devolver un producto?", "Tenemos ofertas increíbles esta semana."], ["¿Cuál es el plazo para devolver un producto comprado?", "Tenemos ofertas increíbles esta semana."]] },
  { id: "es-queja", language: "es", label: "frustrated", firstFrustrated: 2, turns: [["¿Cómo cancelo mi suscripción?", "¡Nuestro plan premium es genial!"], ["No es lo que pregunté. ¿Cómo cancelo?", "Puedes mejorar tu plan."]] },
  { id: "es-humano", language: "es", label: "frustrated", firstFrustrated: 2, turns: [["Me cobraron dos veces", "Los cargos tardan unos días."], ["Quiero hablar con una persona real", "Estoy aquí para ayudarte."]] },
  { id: "es-inutil", language: "es", label: "frustrated", firstFrustrated: 3, turns: [["¿Dónde está mi pedido?", "Los pedidos llegan a tiempo."], ["Pero el mío no ha llegado", "Los pedidos llegan a tiempo."], ["Eres inútil, no me ayudas nada", "Lo siento."]] },
  { id: "de-beschwerde", language: "de", label: "frustrated", firstFrustrated: 2, turns: [["Wie kündige ich mein Abo?", "Unser Premium-Tarif ist toll!"], ["Das ist nicht das, was ich gefragt habe. Wie kündige ich?", "Sie können jederzeit upgraden."]] },
  { id: "de-mensch", language: "de", label: "frustrated", firstFrustrated: 3, turns: [["Mein Paket ist nicht angekommen", "Pakete kommen meist pünktlich."], ["Es ist aber nicht da", "Pakete kommen meist pünktlich."], ["Ich will mit einem Menschen sprechen!", "Ich bin ein virtueller Assistent."]] },
  { id: "de-nutzlos", language: "de", label: "frustrated", firstFrustrated: 2, turns: [["Warum ist meine Rechnung so hoch?", "Rechnungen spiegeln die Nutzung wider."], ["Deine Antwort ist völlig nutzlos", "Bitte prüfen Sie Ihre Rechnung."]] },
  { id: "fr-plainte", language: "fr", label: "frustrated", firstFrustrated: 2, turns: [["Comment annuler mon abonnement ?", "Notre offre premium est géniale !"], ["Ce n'est pas ce que j'ai demandé. Comment annuler ?", "Vous pouvez changer d'offre."]] },
  { id: "fr-humain", language: "fr", label: "frustrated", firstFrustrated: 2, turns: [["On m'a débité deux fois", "Les débits prennent quelques jours."], ["Je veux parler à une vraie personne", "Je suis là pour vous aider."]] },
  { id: "fr-nul", language: "fr", label: "frustrated", firstFrustrated: 3, turns: [["Où est mon colis ?", "Les colis arrivent à l'heure."], ["Le mien n'est pas arrivé", "Les colis arrivent à l'heure."], ["Vous ne comprenez pas, c'est n'importe quoi", "Désolé."]] },
];
